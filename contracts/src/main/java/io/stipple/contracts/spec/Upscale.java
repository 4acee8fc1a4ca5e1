package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Super-resolution stages after base sampling: none, one x2 stage, or x2 then x2 again. JSON: the lower-case name. */
public enum Upscale {
    @JsonProperty("none")
    NONE,
    @JsonProperty("x2")
    X2,
    @JsonProperty("x4")
    X4;
}
