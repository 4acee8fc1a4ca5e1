-- The scheduler's outbox: every message a change decides (status snapshots, work items, cancel controls,
-- dead letters) is written here in the transaction of the change, and OutboxRelay sends it to Kafka and
-- deletes it once Kafka acknowledged it. A committed change is therefore always published, however
-- long the broker is away and whoever made the change (a consumer, the dispatcher, the lease reaper).
-- id orders one job's messages: every change of a job holds its row lock, so ids follow commit order.
create table outbox (
    id            bigserial   primary key,
    job_id        uuid        not null,
    -- the Reactive Messaging channel that sends it, and the topic when not the channel's (a worker pool's)
    channel       text        not null,
    topic         text,
    payload       text        not null,
    trace_parent  text,
    created_at    timestamptz not null
);
create index outbox_by_job on outbox (job_id, id);
