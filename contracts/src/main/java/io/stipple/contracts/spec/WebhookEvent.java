package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which job changes a webhook is called for. JSON: the lower-case name. */
public enum WebhookEvent {
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("progress")
    PROGRESS,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("canceled")
    CANCELED
}
