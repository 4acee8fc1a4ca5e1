package io.stipple.engine.dreambooth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One DreamBooth fine-tune (Ruiz et al. 2022): the subject's instance images are captioned with
 * {@code instancePrompt} ("a sks star"); with prior preservation, images the base model generates
 * for {@code classPrompt} ("a star") are trained on alongside them, so the class keeps its meaning.
 *
 * @param priorLossWeight weight of the class images' loss against the instance images' loss
 * @param batchSize instance images per step (and as many class images with prior preservation)
 * @param loraRank adapter rank for {@link Method#LORA}; ignored for {@link Method#FULL}
 * @param trainTextEncoder full: the text encoder trains too; LoRA: its attention projections get adapters too
 * @param checkpointEvery steps between checkpoints
 * @param classImages how the class images are sampled (part of their cache key)
 */
public record DreamBoothConfig(String instancePrompt, String classPrompt, boolean priorPreservation,
        int numClassImages, float priorLossWeight, int steps, float learningRate, int batchSize, long seed,
        boolean trainTextEncoder, Method method, int loraRank, int checkpointEvery, ClassImageSettings classImages) {

    /** What trains: every weight, or low-rank adapters on the attention projections. */
    public enum Method {
        FULL, LORA;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** EMA decay of the exported weights: short runs need a short average. */
    public static final float EMA_DECAY = 0.99f;
    public static final float CLIP_NORM = 1f;

    public DreamBoothConfig {
        if (instancePrompt == null || instancePrompt.isBlank() || classPrompt == null || classPrompt.isBlank()) {
            throw new IllegalArgumentException("instance and class prompts are required");
        }
        if (steps < 1 || batchSize < 1 || !(learningRate > 0) || checkpointEvery < 1) {
            throw new IllegalArgumentException("steps, batch size, learning rate and checkpoint interval must be positive");
        }
        if (priorPreservation && (numClassImages < 1 || priorLossWeight < 0)) {
            throw new IllegalArgumentException("prior preservation needs at least one class image and a weight >= 0");
        }
        if (method == null || (method == Method.LORA && loraRank < 1)) {
            throw new IllegalArgumentException("a method is required, and LoRA needs rank >= 1");
        }
        classImages = classImages == null ? ClassImageSettings.DEFAULT : classImages;
    }

    /** The settings as the model card's {@code fine_tune.spec}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("instance_prompt", instancePrompt);
        map.put("class_prompt", classPrompt);
        map.put("prior_preservation", priorPreservation);
        map.put("num_class_images", priorPreservation ? numClassImages : 0);
        map.put("prior_loss_weight", priorLossWeight);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("batch_size", batchSize);
        map.put("seed", seed);
        map.put("train_text_encoder", trainTextEncoder);
        map.put("method", method.wireName());
        if (method == Method.LORA) {
            map.put("lora_rank", loraRank);
        }
        map.put("ema_decay", EMA_DECAY);
        map.put("class_image_sampler", classImages.sampler());
        map.put("class_image_steps", classImages.steps());
        map.put("class_image_guidance", classImages.guidance());
        map.put("class_image_seed", classImages.seed());
        return map;
    }
}
