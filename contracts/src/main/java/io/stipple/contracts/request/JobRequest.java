package io.stipple.contracts.request;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.Topics;

/**
 * What the gateway asks of the scheduler, on {@link Topics#JOB_REQUESTS}. Submissions and
 * cancellations share one topic (keyed by job id) so that a cancel can never overtake the
 * submission of its job. Written with a {@code "type"} property naming the subtype.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobSubmitted.class, name = "job_submitted"),
        @JsonSubTypes.Type(value = CancelRequested.class, name = "cancel_requested")
})
public sealed interface JobRequest extends JobMessage permits JobSubmitted, CancelRequested {
}
