-- The concurrent-job limit as a counter per tenant (docs/gateway.md, "Concurrent-job limit"):
-- a submission takes a slot with one conditional increment (active_jobs < limit), a job's first
-- terminal snapshot gives it back once (jobs.holds_active_slot goes true -> false exactly once).
-- Replaces a lock on the tenant row plus a count(*) over its jobs, which serialised a tenant's submissions.
alter table jobs add column holds_active_slot boolean not null default true;
update jobs j set holds_active_slot = false
  from job_views v
 where v.job_id = j.id and v.status in ('succeeded', 'failed', 'canceled');

alter table tenants add column active_jobs integer not null default 0;
update tenants t set active_jobs = (select count(*) from jobs j where j.tenant_id = t.id and j.holds_active_slot);
alter table tenants add constraint tenants_active_jobs_not_negative check (active_jobs >= 0);
