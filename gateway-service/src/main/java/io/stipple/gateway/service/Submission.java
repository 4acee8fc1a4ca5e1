package io.stipple.gateway.service;

import io.stipple.contracts.spec.JobSpec;
import io.stipple.gateway.repository.JobRow;

/**
 * The outcome of a submission.
 *
 * @param spec     the job's spec when it is in hand (a job just accepted, whose row has no spec text),
 *                 null when the row was read back (a replay)
 * @param replayed true when an earlier request with the same Idempotency-Key and body created the job
 */
public record Submission(JobRow job, JobSpec spec, boolean replayed) {

    /** A job just stored from {@code spec}. */
    public static Submission accepted(JobRow job, JobSpec spec) {
        return new Submission(job, spec, false);
    }

    /** The job an earlier request with the same Idempotency-Key created, as read back. */
    public static Submission replayed(JobRow job) {
        return new Submission(job, null, true);
    }
}
