package io.stipple.contracts.work;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a control message asks of the worker holding a job. JSON: the lower-case name. */
public enum ControlAction {
    /** Stop between steps, clean up, and report {@code canceled}. */
    @JsonProperty("cancel")
    CANCEL
}
