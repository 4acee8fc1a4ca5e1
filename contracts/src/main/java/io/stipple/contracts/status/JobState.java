package io.stipple.contracts.status;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a job is: {@code submitted -> queued -> running -> succeeded | failed | canceled}
 * ({@code running -> queued} again when a lease expires). JSON: the lower-case name.
 */
public enum JobState {
    /** Accepted by the gateway, not yet seen by the scheduler. */
    @JsonProperty("submitted")
    SUBMITTED,
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("canceled")
    CANCELED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
}
