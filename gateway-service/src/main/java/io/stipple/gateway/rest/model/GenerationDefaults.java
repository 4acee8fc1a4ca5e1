package io.stipple.gateway.rest.model;

/**
 * Defaults and bounds of {@code POST /v1/generations}, as constants so that the OpenAPI document,
 * the validation annotations and the mapper that resolves a request all use the same numbers.
 */
public final class GenerationDefaults {

    public static final int MAX_PROMPT_CHARS = 500;

    public static final String NUM_IMAGES = "1";
    public static final int MAX_NUM_IMAGES = 8;

    // Sampler, steps and guidance are the bundled model's card defaults (docs/models.md): DDIM at
    // guidance >= 3 collapses on the v-predicting base model, DPM-Solver++ 20 at 3 follows the prompt.
    public static final String SAMPLER = "dpmpp_2m";

    public static final String STEPS = "20";
    public static final int MAX_STEPS = 200;

    public static final String GUIDANCE_SCALE = "3.0";
    public static final String MAX_GUIDANCE_SCALE = "30.0";

    public static final String GUIDANCE_RESCALE = "0.0";

    public static final String ETA = "0.0";

    public static final String THRESHOLD_RATIO = "0.995";
    public static final String THRESHOLD_MAX_VALUE = "1.5";

    public static final String CLASSIFIER_SCALE = "1.0";
    public static final String MAX_CLASSIFIER_SCALE = "100.0";

    public static final String INIT_STRENGTH = "0.75";

    /** A model version as the API writes it, name@version (contracts ModelRef). */
    public static final String MODEL_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}@[a-z0-9][a-z0-9._-]{0,63}";

    public static final String LORA_SCALE = "1.0";

    public static final String UPSCALE = "none";
    public static final String PRIORITY = "normal";
    public static final String OUTPUT_FORMAT = "png";

    private GenerationDefaults() {
    }
}
