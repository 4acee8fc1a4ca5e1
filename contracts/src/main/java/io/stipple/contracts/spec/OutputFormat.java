package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Image file format of results (PNG keeps the generation parameters as text chunks). JSON: the lower-case name. */
public enum OutputFormat {
    @JsonProperty("png")
    PNG,
    @JsonProperty("jpeg")
    JPEG;
}
