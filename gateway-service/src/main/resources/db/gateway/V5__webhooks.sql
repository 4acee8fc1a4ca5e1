-- Webhook notifications, sent by the gateway since they carry the public job resource
-- (docs/architecture.md, "Webhooks"). They moved from the scheduler's schema, where they were written
-- with the scheduler's own status changes.

-- One row per notification, written by StatusProjection in the transaction that applied the snapshot it
-- reports; retried with backoff until delivered or given up. Its id is the webhook-id header, and payload
-- the exact body signed and posted at every attempt (rendered once, at the event).
create table webhook_deliveries (
    id               uuid primary key,
    job_id           uuid        not null references jobs (id),
    tenant_id        text        not null,
    url              text        not null,
    event_type       text        not null,
    payload          text        not null,
    state            text        not null,
    attempts         integer     not null default 0,
    -- when the next attempt is due; pushed past the request timeout while one is in flight, so a crash retries
    next_attempt_at  timestamptz,
    created_at       timestamptz not null,
    completed_at     timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'PENDING';
create index webhook_deliveries_by_job on webhook_deliveries (job_id);

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

-- Per-tenant signing secrets (whsec_...), next to the tenants and their keys. The newest signs; after a
-- rotation the previous ones keep signing next to it until expires_at, so receivers can switch without
-- refusing a notification. Stored as given to the tenant: an HMAC needs the secret itself, not a hash.
create table webhook_secrets (
    key_id      text        primary key,
    tenant_id   text        not null references tenants (id),
    secret      text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz
);
create index webhook_secrets_by_tenant on webhook_secrets (tenant_id, created_at);
