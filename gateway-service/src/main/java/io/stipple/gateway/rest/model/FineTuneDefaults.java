package io.stipple.gateway.rest.model;

/**
 * Defaults and bounds of {@code POST /v1/finetunes}, shared by the OpenAPI document, validation and the mapper.
 * The default method is the one whose measured setting meets all three DreamBooth targets on the default base
 * model, stipple-base-16@6 (docs/dreambooth.md): a full fine-tune with prior preservation, batch 4, 100 class
 * images. Steps, learning rate, text encoder and rank depend on the method: {@link MethodDefaults}. An imported
 * Stable Diffusion base is fine-tuned with LoRA only and has defaults of its own ({@link MethodDefaults#stableDiffusion}).
 */
public final class FineTuneDefaults {

    public static final String MODEL_REF = "[a-z0-9][a-z0-9._-]{0,63}@[a-z0-9][a-z0-9._-]{0,63}";
    public static final String IDENTIFIER_TOKEN = "sks";
    public static final String FULL_STEPS = "300";
    public static final String LORA_STEPS = "600";
    public static final int MAX_STEPS = 5000;
    public static final String FULL_LEARNING_RATE = "0.0001";
    public static final String LORA_LEARNING_RATE = "0.001";
    public static final String BATCH_SIZE = "4";
    public static final int MAX_BATCH = 32;
    public static final String METHOD = "full";
    public static final String LORA_RANK = "16";
    public static final int MAX_LORA_RANK = 64;
    /** An imported Stable Diffusion base: diffusers' DreamBooth-LoRA example (rank 4, 500 steps at 1e-4), not measured here. */
    public static final String SD_LORA_STEPS = "500";
    public static final String SD_LORA_LEARNING_RATE = "0.0001";
    public static final String SD_LORA_RANK = "4";
    public static final String NUM_CLASS_IMAGES = "100";
    public static final int MAX_CLASS_IMAGES = 500;
    public static final String PRIOR_LOSS_WEIGHT = "1.0";
    public static final int MIN_INSTANCE_IMAGES = 3;
    public static final int MAX_INSTANCE_IMAGES = 10;

    private FineTuneDefaults() {
    }
}
