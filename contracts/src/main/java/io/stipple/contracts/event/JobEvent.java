package io.stipple.contracts.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stipple.contracts.JobMessage;

/**
 * What a worker (gpu-worker or trainer) reports about the job it holds, on
 * {@code Topics.JOBS_EVENTS}. {@code attempt} echoes the work item's; {@code sequence} starts at 1
 * for each attempt and grows by one per event. Written with a {@code "type"} property.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobRunning.class, name = "running"),
        @JsonSubTypes.Type(value = JobProgress.class, name = "progress"),
        @JsonSubTypes.Type(value = JobHeartbeat.class, name = "heartbeat"),
        @JsonSubTypes.Type(value = JobSucceeded.class, name = "succeeded"),
        @JsonSubTypes.Type(value = JobFailed.class, name = "failed"),
        @JsonSubTypes.Type(value = JobCanceled.class, name = "canceled")
})
public sealed interface JobEvent extends JobMessage
        permits JobRunning, JobProgress, JobHeartbeat, JobSucceeded, JobFailed, JobCanceled {

    /** Identifies the worker process, for leases and diagnostics. */
    String workerId();
}
