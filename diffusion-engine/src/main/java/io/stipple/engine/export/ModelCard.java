package io.stipple.engine.export;

import io.stipple.engine.model.SuperResolutionSpec;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.unet.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * The JSON that travels with an exported model ({@code model_card.json}, snake_case keys): what
 * the network is, how to sample it, how it was made, and how well it does. The scheduler config
 * uses diffusers' {@code scheduler_config.json} keys.
 *
 * @param format always {@link #FORMAT}
 * @param architecture U-Net and text encoder configs
 * @param scheduler the training noise schedule, diffusers keys; samplers reuse it
 * @param predictionType what the network outputs: epsilon, v_prediction or sample
 * @param tokenizer the vocabulary (token id = index) and prompt length
 * @param data where the training images and captions came from
 * @param training how to reproduce the weights
 * @param defaults sampling settings the model was measured with
 * @param metrics measured quality, as written by {@code eval} (may be empty)
 * @param superResolution what a super-resolution stage upscales and how its {@code low_res} input is
 *        made; null (and absent from the JSON) for every other model
 * @param fineTune for a fine-tuned version: its base and how it was tuned; null (and absent) otherwise
 */
public record ModelCard(String format, String name, String version, String description, ModelConfig architecture,
        JsonNode scheduler, String predictionType, TokenizerSpec tokenizer, DataRecipe data, TrainingRecord training,
        SamplingDefaults defaults, Map<String, Object> metrics,
        @JsonInclude(JsonInclude.Include.NON_NULL) SuperResolutionSpec superResolution,
        @JsonInclude(JsonInclude.Include.NON_NULL) FineTune fineTune) {

    public static final String FORMAT = "stipple-model/1";

    /**
     * How a version was fine-tuned (DreamBooth).
     *
     * @param baseModel the version it was tuned from, {@code name@version}
     * @param method {@code full} (the folder holds a complete SavedModel) or {@code lora} (the folder
     *        holds only {@code adapters.safetensors}; loading applies them over {@code baseModel})
     * @param lora the adapters' shape for {@code lora}, else null
     * @param spec the run's settings (prompts, prior preservation, steps, learning rate, batch, seed ...)
     */
    public record FineTune(String baseModel, String method, LoraSpec lora, Map<String, Object> spec) {

        public static final String FULL = "full";
        public static final String LORA = "lora";

        @JsonIgnore
        public boolean isLora() {
            return LORA.equals(method);
        }
    }

    /** @param target regular expression over dense-layer names that carry adapters */
    public record LoraSpec(int rank, float alpha, String target) {
    }

    /** A card of a model that is neither a super-resolution stage nor a fine-tune. */
    public ModelCard(String format, String name, String version, String description, ModelConfig architecture,
            JsonNode scheduler, String predictionType, TokenizerSpec tokenizer, DataRecipe data, TrainingRecord training,
            SamplingDefaults defaults, Map<String, Object> metrics) {
        this(format, name, version, description, architecture, scheduler, predictionType, tokenizer, data, training,
                defaults, metrics, null, null);
    }

    /** A card of a super-resolution stage (not a fine-tune). */
    public ModelCard(String format, String name, String version, String description, ModelConfig architecture,
            JsonNode scheduler, String predictionType, TokenizerSpec tokenizer, DataRecipe data, TrainingRecord training,
            SamplingDefaults defaults, Map<String, Object> metrics, SuperResolutionSpec superResolution) {
        this(format, name, version, description, architecture, scheduler, predictionType, tokenizer, data, training,
                defaults, metrics, superResolution, null);
    }

    /** @param vocabulary words by token id; @param maxLength tokens per prompt */
    public record TokenizerSpec(List<String> vocabulary, int maxLength) {
    }

    public record DataRecipe(String dataset, String split, int resolution, float captionDropout,
            String vocabularySource) {
    }

    /** @param secondsPerStep wall-clock seconds per step of the last training invocation; null if it only exported */
    public record TrainingRecord(String command, long steps, int batchSize, long seed, float learningRate,
            int warmupSteps, float emaDecay, float clipNorm, long parameters, double finalLoss,
            Double secondsPerStep) {
    }

    /** @param sampler a {@code _class_name} of the supported schedulers */
    public record SamplingDefaults(String sampler, int steps, float guidanceScale) {
    }

    public ModelCard withMetrics(Map<String, Object> newMetrics) {
        return new ModelCard(format, name, version, description, architecture, scheduler, predictionType, tokenizer,
                data, training, defaults, newMetrics, superResolution, fineTune);
    }
}
