-- The outbox cleanup deletes sent rows by age (OutboxMaintenance); this keeps it from scanning unsent ones.
create index outbox_sent on outbox (sent_at) where sent_at is not null;
