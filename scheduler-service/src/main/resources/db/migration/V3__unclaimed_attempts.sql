-- Attempts whose lease ran out before any worker sent an event for them (no worker was consuming,
-- e.g. while a crashed worker's partitions moved to another): re-dispatched without using up one of
-- the job's attempts (JobLifecycle.expireLease).
alter table jobs add column unclaimed_attempts integer not null default 0;
