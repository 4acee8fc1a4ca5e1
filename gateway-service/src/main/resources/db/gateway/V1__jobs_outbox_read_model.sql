-- Gateway schema: the gateway is the only writer of every table here (docs/architecture.md, "Job lifecycle").

create table tenants (
    id                   text primary key,
    display_name         text        not null,
    -- null: the gateway's configured default (stipple.gateway.limits.max-active-jobs)
    max_active_jobs      integer,
    created_at           timestamptz not null default now()
);

-- API keys are random 32-byte secrets, so a fast SHA-256 is enough (no password-style stretching);
-- the prefix finds the row without revealing the secret.
create table api_keys (
    id                   uuid primary key,
    tenant_id            text        not null references tenants (id),
    key_prefix           text        not null unique,
    key_hash             bytea       not null,
    created_at           timestamptz not null default now(),
    revoked_at           timestamptz
);

-- The accepted submission: what the client asked for, fully resolved.
create table jobs (
    id                   uuid primary key,
    tenant_id            text        not null references tenants (id),
    kind                 text        not null,
    spec                 jsonb       not null,
    idempotency_key      text,
    request_hash         bytea,
    created_at           timestamptz not null,
    cancel_requested_at  timestamptz,
    -- sequence of the gateway's last JobRequest for this job (submission = 0)
    request_sequence     bigint      not null default 0,
    unique (tenant_id, idempotency_key)
);
create index jobs_tenant_created on jobs (tenant_id, created_at desc, id desc);

-- Messages waiting for the relay; written in the same transaction as the change they announce.
create table outbox (
    id                   bigserial primary key,
    job_id               uuid        not null,
    topic                text        not null,
    payload              text        not null,
    created_at           timestamptz not null default now(),
    sent_at              timestamptz,
    attempts             integer     not null default 0,
    last_error           text
);
create index outbox_unsent on outbox (job_id, id) where sent_at is null;

-- Read model projected from the scheduler's JobStatus snapshots. No row yet: status "submitted".
create table job_views (
    job_id               uuid primary key references jobs (id),
    tenant_id            text        not null,
    status               text        not null,
    attempt              integer     not null,
    sequence             bigint      not null,
    progress             jsonb,
    outputs              jsonb       not null default '[]',
    produced_model       text,
    error                jsonb,
    queued_at            timestamptz,
    started_at           timestamptz,
    completed_at         timestamptz,
    cancel_requested     boolean     not null default false,
    updated_at           timestamptz not null
);
create index job_views_tenant_status on job_views (tenant_id, status);

-- Append-only log of what happened to a job, for the SSE stream; id is the SSE event id.
create table job_view_events (
    id                   bigserial primary key,
    job_id               uuid        not null references jobs (id),
    event_type           text        not null,
    data                 jsonb       not null,
    created_at           timestamptz not null
);
create index job_view_events_job on job_view_events (job_id, id);

-- An upload holds one or more images (e.g. the 3-10 instance images of a fine-tune), checked
-- (content sniffed, size and pixel limits) before they were stored in the object store.
create table uploads (
    id                   text primary key,
    tenant_id            text        not null references tenants (id),
    image_count          integer     not null,
    total_bytes          bigint      not null,
    created_at           timestamptz not null default now()
);

create table upload_images (
    upload_id            text        not null references uploads (id),
    ordinal              integer     not null,
    object_key           text        not null,
    content_type         text        not null,
    size_bytes           bigint      not null,
    width                integer     not null,
    height               integer     not null,
    primary key (upload_id, ordinal)
);
