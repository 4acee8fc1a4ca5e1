-- The model registry: every model version trainer-service produced. Owned by trainer-service alone
-- (docs/architecture.md: no other service reads this schema; the gateway learns of versions from
-- the job status snapshots).
create table model_versions (
    name           text        not null,
    version        text        not null,
    tenant_id      text        not null,
    job_id         uuid        not null unique,
    base_model     text        not null,
    method         text        not null check (method in ('full', 'lora')),
    object_prefix  text        not null,
    size_bytes     bigint      not null,
    card           jsonb       not null,
    created_at     timestamptz not null default now(),
    primary key (name, version)
);

create index model_versions_tenant on model_versions (tenant_id, created_at desc);
