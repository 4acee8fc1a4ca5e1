-- Retryable failures wait before the next dispatch (exponential backoff with jitter, JobLifecycle): the
-- dispatcher skips a queued job until not_before. Attempts lost to the infrastructure (the object store
-- away) are counted apart from the job's own, against a budget of their own.
alter table jobs add column not_before timestamptz;
alter table jobs add column infrastructure_attempts integer not null default 0;
