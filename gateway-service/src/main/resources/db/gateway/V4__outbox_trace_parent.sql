-- The W3C traceparent of the request that wrote the row: the relay publishes the message as a child
-- of that request's span, so one job stays one trace across the outbox (docs/observability.md).
alter table outbox add column trace_parent text;
