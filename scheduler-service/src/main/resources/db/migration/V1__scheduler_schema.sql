-- The scheduler's schema: it is the only writer of these tables, and no other service reads them.

-- One row per job: its state, what it needs to be dispatched again, and its lease while a worker holds it.
create table jobs (
    id                    uuid primary key,
    tenant_id             text        not null,
    kind                  text        not null,
    priority              text        not null,
    cost                  integer     not null check (cost >= 1),
    -- the resolved JobSpec as submitted (contracts JSON), to build work items and dead letters
    spec                  text        not null,
    status                text        not null,
    -- the latest dispatched attempt, 0 before the first dispatch
    attempt               integer     not null,
    -- the newest worker event applied within the current attempt
    event_sequence        bigint      not null,
    -- grows by one with every JobStatus snapshot
    status_sequence       bigint      not null,
    status_trigger        text        not null,
    -- the attempt and time of the newest snapshot: a dispatch changes neither, so a republished
    -- snapshot is identical to the one first sent
    status_attempt        integer     not null,
    status_at             timestamptz not null,
    detail                text,
    progress_step         integer,
    progress_total        integer,
    progress_stage        text,
    progress_loss         double precision,
    progress_preview_key  text,
    outputs               text,
    produced_model        text,
    error_reason          text,
    error_retryable       boolean,
    cancel_requested      boolean     not null default false,
    submitted_at          timestamptz not null,
    queued_at             timestamptz not null,
    started_at            timestamptz,
    completed_at          timestamptz,
    -- set while the current attempt is dispatched: a worker holds (or is about to take) the job
    dispatched_at         timestamptz,
    lease_expires_at      timestamptz,
    worker_id             text,
    updated_at            timestamptz not null
);

-- The dispatcher reads each tenant's oldest waiting jobs per kind and priority class.
create index jobs_waiting on jobs (kind, priority, tenant_id, queued_at) where status = 'QUEUED' and lease_expires_at is null;
-- The lease reaper and the in-flight count read the leased jobs.
create index jobs_leased on jobs (kind, lease_expires_at) where lease_expires_at is not null;

-- Append-only log of every visible change (one row per JobStatus snapshot) and of dispatches.
create table job_events (
    id               bigserial primary key,
    job_id           uuid        not null references jobs (id),
    status_sequence  bigint      not null,
    attempt          integer     not null,
    type             text        not null,
    status           text        not null,
    detail           text,
    source           text        not null,
    occurred_at      timestamptz not null,
    recorded_at      timestamptz not null
);
create index job_events_by_job on job_events (job_id, id);

-- One row per webhook notification; retried with backoff until delivered or given up.
create table webhook_deliveries (
    id               uuid primary key,
    job_id           uuid        not null references jobs (id),
    url              text        not null,
    event_type       text        not null,
    payload          text        not null,
    state            text        not null,
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz not null,
    completed_at     timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'PENDING';

-- Every delivery attempt, successful or not.
create table webhook_attempts (
    id            bigserial primary key,
    delivery_id   uuid        not null references webhook_deliveries (id),
    attempt       integer     not null,
    attempted_at  timestamptz not null,
    status_code   integer,
    error         text,
    duration_ms   bigint      not null
);
create index webhook_attempts_by_delivery on webhook_attempts (delivery_id, attempt);
