package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Scheduling class of a job: higher classes are dispatched first, fairness applies within a class. JSON: the lower-case name. */
public enum Priority {
    @JsonProperty("low")
    LOW,
    @JsonProperty("normal")
    NORMAL,
    @JsonProperty("high")
    HIGH;
}
