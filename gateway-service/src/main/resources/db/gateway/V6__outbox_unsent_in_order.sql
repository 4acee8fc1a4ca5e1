-- The relay's claim, made cheap on any backlog whatever the planner's statistics say (docs/benchmarks.md,
-- section 4, "2026-12-07 afternoon: the outbox relay"). It takes the oldest unsent rows (order by id ... limit)
-- that may go now: a row may go once the row of its job written before it, if any, has been sent.
--
-- 1. An index of the unsent rows alone, in id order. Without it the claim walked the primary key from the
--    first row kept and read past every row already sent (24 h of them, outbox.retention): 150-370 ms per claim
--    of 100 rows behind 40,000 sent ones, slower with each round of a drain.
create index outbox_unsent_by_id on outbox (id) where sent_at is null;

-- 2. The row a row must follow: the newest unsent row of the same job when this one was written (a cancel
--    written while its job's submission waits), null for a job's first row. The claim used to ask "has this
--    job an older unsent row?" for every candidate (a correlated NOT EXISTS); with statistics taken while the
--    outbox held no unsent rows (a fresh or drained outbox, i.e. at the start of every burst), PostgreSQL
--    planned that as a nested loop re-reading all unsent rows for each candidate: one claim over a backlog
--    of 20,000 rows took 53 s. Now the check is one primary-key lookup, for the few rows that follow another.
alter table outbox add column follows_id bigint;
update outbox o set follows_id = (select max(earlier.id) from outbox earlier
                                   where earlier.job_id = o.job_id and earlier.sent_at is null and earlier.id < o.id)
 where o.sent_at is null;
