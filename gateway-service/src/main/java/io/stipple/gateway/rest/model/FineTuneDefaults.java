package io.stipple.gateway.rest.model;

/** Defaults and bounds of {@code POST /v1/finetunes}, shared by the OpenAPI document, validation and the mapper. */
public final class FineTuneDefaults {

    public static final String MODEL_REF = "[a-z0-9][a-z0-9._-]{0,63}@[a-z0-9][a-z0-9._-]{0,63}";
    public static final String IDENTIFIER_TOKEN = "sks";
    public static final String STEPS = "400";
    public static final int MAX_STEPS = 5000;
    public static final String LEARNING_RATE = "0.0001";
    public static final String BATCH_SIZE = "2";
    public static final int MAX_BATCH = 32;
    public static final String METHOD = "lora";
    public static final String LORA_RANK = "4";
    public static final int MAX_LORA_RANK = 64;
    public static final String NUM_CLASS_IMAGES = "50";
    public static final int MAX_CLASS_IMAGES = 500;
    public static final String PRIOR_LOSS_WEIGHT = "1.0";
    public static final int MIN_INSTANCE_IMAGES = 3;
    public static final int MAX_INSTANCE_IMAGES = 10;

    private FineTuneDefaults() {
    }
}
