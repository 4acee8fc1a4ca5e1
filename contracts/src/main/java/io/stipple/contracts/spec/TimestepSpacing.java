package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How inference timesteps are spread over the training schedule (diffusers' timestep_spacing). JSON: the lower-case name. */
public enum TimestepSpacing {
    @JsonProperty("leading")
    LEADING,
    @JsonProperty("trailing")
    TRAILING,
    @JsonProperty("linspace")
    LINSPACE;
}
