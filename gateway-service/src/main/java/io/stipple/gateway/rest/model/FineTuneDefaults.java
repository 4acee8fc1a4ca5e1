package io.stipple.gateway.rest.model;

/**
 * Defaults and bounds of {@code POST /v1/finetunes}, shared by the OpenAPI document, validation and the mapper.
 * The training defaults are the cheapest measured setting that meets all three DreamBooth targets on the
 * bundled base (docs/dreambooth.md: LoRA rank 16, 600 steps, learning rate 1e-3, batch 4, 100 class images, text encoder
 * adapted: subject fidelity 0.880, new contexts followed 97.2%, class adherence drop 2.0 points); the
 * rank 4 / 1e-4 defaults before them met none. The text encoder trains by default with LoRA only: the
 * measured full fine-tune that meets the targets keeps it frozen.
 */
public final class FineTuneDefaults {

    public static final String MODEL_REF = "[a-z0-9][a-z0-9._-]{0,63}@[a-z0-9][a-z0-9._-]{0,63}";
    public static final String IDENTIFIER_TOKEN = "sks";
    public static final String STEPS = "600";
    public static final int MAX_STEPS = 5000;
    public static final String LEARNING_RATE = "0.001";
    public static final String BATCH_SIZE = "4";
    public static final int MAX_BATCH = 32;
    public static final String METHOD = "lora";
    public static final String LORA_RANK = "16";
    public static final int MAX_LORA_RANK = 64;
    public static final String NUM_CLASS_IMAGES = "100";
    public static final int MAX_CLASS_IMAGES = 500;
    public static final String PRIOR_LOSS_WEIGHT = "1.0";
    public static final int MIN_INSTANCE_IMAGES = 3;
    public static final int MAX_INSTANCE_IMAGES = 10;

    private FineTuneDefaults() {
    }
}
