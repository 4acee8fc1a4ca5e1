package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Sampling algorithm (names follow diffusers' schedulers). JSON: the lower-case name. */
public enum Sampler {
    /** DDIM (Song et al. 2020); deterministic at eta 0. */
    @JsonProperty("ddim")
    DDIM,
    /** Ancestral DDPM (Ho et al. 2020). */
    @JsonProperty("ddpm")
    DDPM,
    /** Euler, Karras et al. 2022, algorithm 2 without churn. */
    @JsonProperty("euler")
    EULER,
    /** Euler ancestral: Euler plus fresh noise each step (scaled by eta). */
    @JsonProperty("euler_ancestral")
    EULER_ANCESTRAL,
    /** Heun's second-order method (Karras et al. 2022, algorithm 1). */
    @JsonProperty("heun")
    HEUN,
    /** DPM-Solver++(2M) (Lu et al. 2022). */
    @JsonProperty("dpmpp_2m")
    DPMPP_2M
}
