-- Deliveries know their tenant: the sender caps each tenant's notifications in flight (one tenant's
-- unanswering endpoint must not hold everyone's) and signs with the tenant's own secret.
alter table webhook_deliveries add column tenant_id text;
update webhook_deliveries d set tenant_id = j.tenant_id from jobs j where j.id = d.job_id;
alter table webhook_deliveries alter column tenant_id set not null;

-- Per-tenant signing secrets (whsec_...). The newest signs; after a rotation the previous ones keep
-- signing next to it until expires_at, so receivers can switch without losing a notification.
-- Stored as given to the tenant: an HMAC needs the secret itself, not a hash of it.
create table webhook_secrets (
    key_id      text        primary key,
    tenant_id   text        not null,
    secret      text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz
);
create index webhook_secrets_by_tenant on webhook_secrets (tenant_id, created_at);
