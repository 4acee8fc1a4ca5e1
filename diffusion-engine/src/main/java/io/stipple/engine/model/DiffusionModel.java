package io.stipple.engine.model;

import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded diffusion model, whatever its family: what every pipeline, the worker and the trainer
 * talk to. It is diffusers' split of a pipeline into components behind one seam: a prompt
 * encoder (tokenizer + text encoder), a denoiser (the U-Net), a sample codec (identity for
 * pixel-space models, a VAE for latent ones), the schedule it was trained with and its defaults.
 * A new family is one implementation plus a loader entry in {@link DiffusionModels}.
 */
public interface DiffusionModel extends AutoCloseable {

    ModelIdentity identity();

    ModelDefaults defaults();

    PromptEncoder prompts();

    /** Predicts on samples of {@link #sampleShape} with the conditioning {@link #prompts} makes. */
    Denoiser denoiser();

    SampleCodec codec();

    /** The image sizes this model can make. */
    ImageSizes imageSizes();

    /** The training noise schedule (diffusers {@code scheduler_config.json} keys); samplers reuse it. */
    SchedulerConfig schedulerConfig();

    /**
     * The diffusers {@code scheduler_config.json} the schedule was read from, as written, when it
     * was: another sampler is configured from it by diffusers' {@code from_config} rule
     * ({@code SamplerChoice#configFor(DiffusionModel, Map)}). Empty for Stipple models, whose samplers
     * take only the schedule's keys.
     */
    default Optional<String> schedulerFile() {
        return Optional.empty();
    }

    /** Whether prompts condition the model (shortcut for {@code prompts().textConditioned()}). */
    default boolean textConditioned() {
        return prompts().textConditioned();
    }

    /** {@code [height, width, channels]} of one sample for images of {@code size}; refuses sizes the model cannot make. */
    default int[] sampleShape(ImageSize size) {
        imageSizes().require(size, identity().reference());
        return codec().sampleShape(size);
    }

    /** A super-resolution stage of a cascade says what it upscales and how; empty for every other model. */
    default Optional<SuperResolutionSpec> superResolution() {
        return Optional.empty();
    }

    /**
     * Opens a LoRA file (kohya or diffusers/PEFT names) for this model, checking every layer it
     * changes against this model's; the caller closes it once no view uses it.
     *
     * @throws UnsupportedModelFamilyException for a family that takes no LoRA files
     */
    default LoraFile openLora(Path file) throws IOException {
        throw new UnsupportedModelFamilyException(identity() + " is a " + identity().family()
                + " model, which takes no LoRA files (" + file + ")");
    }

    /**
     * This model with {@code loras} applied at their scales, for as many runs as the caller likes:
     * a view over this model's loaded weights (no copy, no new graph), so a worker switches LoRA sets
     * per batch; an empty list gives the model's own outputs exactly. Closing the view frees only its
     * LoRA tensors; this model must stay open while the view is used.
     *
     * @throws UnsupportedModelFamilyException when LoRAs are given to a family that takes none
     * @throws IllegalArgumentException naming the layer when a LoRA does not fit this model
     */
    default DiffusionModel withLoras(List<ScaledLora> loras) {
        if (!loras.isEmpty()) {
            throw new UnsupportedModelFamilyException(identity() + " is a " + identity().family()
                    + " model, which takes no LoRA files");
        }
        return SharedWeightsView.of(this);
    }

    /** Frees the model's native resources; it must not be used afterwards. */
    @Override
    void close();
}
