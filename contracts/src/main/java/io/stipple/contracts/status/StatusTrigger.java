package io.stipple.contracts.status;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What made the scheduler publish a {@link JobStatus}; the SSE stream names its events after it. JSON: the lower-case name. */
public enum StatusTrigger {
    /** The submission was queued. */
    @JsonProperty("queued")
    QUEUED,
    /** A worker reported it started. */
    @JsonProperty("running")
    RUNNING,
    /** A worker reported a step. */
    @JsonProperty("progress")
    PROGRESS,
    /** A lease expired and the job went back to the queue with attempt + 1. */
    @JsonProperty("requeued")
    REQUEUED,
    /** The client asked to cancel a running job; the worker was told. */
    @JsonProperty("cancel_requested")
    CANCEL_REQUESTED,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("canceled")
    CANCELED
}
