package io.stipple.gateway.service;

import io.stipple.gateway.repository.JobRow;

/**
 * The outcome of a submission.
 *
 * @param replayed true when an earlier request with the same Idempotency-Key and body created the job
 */
public record Submission(JobRow job, boolean replayed) {
}
