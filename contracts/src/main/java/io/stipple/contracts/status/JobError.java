package io.stipple.contracts.status;

import io.stipple.contracts.Envelope;

/**
 * Why a job failed.
 *
 * @param reason     a message for the client
 * @param retryable  whether the last failure was one a retry could fix
 */
public record JobError(String reason, boolean retryable) {

    public JobError {
        Envelope.require(reason, "error", "reason");
    }
}
