-- The W3C traceparent under which the scheduler received the job's submission: every message it
-- later sends for the job (work items from the dispatch loop included) continues that trace.
alter table jobs add column trace_parent text;
