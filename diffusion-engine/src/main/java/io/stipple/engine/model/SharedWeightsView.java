package io.stipple.engine.model;

import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.sd.lora.LoraFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model that runs another loaded model's networks with its own prompt encoder and denoiser
 * (e.g. LoRA branches fed per run): everything else is the base's. Closing it frees only what the
 * view holds ({@code onClose}); the base stays open and must outlive the view. Every method of
 * {@link DiffusionModel} but {@code prompts}, {@code denoiser}, {@code withLoras} and {@code close} is the base's.
 */
public final class SharedWeightsView implements DiffusionModel {

    private final DiffusionModel base;
    private final PromptEncoder prompts;
    private final Denoiser denoiser;
    private final Runnable onClose;

    public SharedWeightsView(DiffusionModel base, PromptEncoder prompts, Denoiser denoiser, Runnable onClose) {
        this.base = base;
        this.prompts = prompts;
        this.denoiser = denoiser;
        this.onClose = onClose;
    }

    /** The base as it is, closing nothing. */
    public static SharedWeightsView of(DiffusionModel base) {
        return new SharedWeightsView(base, base.prompts(), base.denoiser(), () -> { });
    }

    @Override
    public ModelIdentity identity() {
        return base.identity();
    }

    @Override
    public ModelDefaults defaults() {
        return base.defaults();
    }

    @Override
    public PromptEncoder prompts() {
        return prompts;
    }

    @Override
    public Denoiser denoiser() {
        return denoiser;
    }

    @Override
    public SampleCodec codec() {
        return base.codec();
    }

    @Override
    public ImageSizes imageSizes() {
        return base.imageSizes();
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return base.schedulerConfig();
    }

    @Override
    public Optional<String> schedulerFile() {
        return base.schedulerFile();
    }

    @Override
    public Optional<SuperResolutionSpec> superResolution() {
        return base.superResolution();
    }

    /** The base's LoRA file reader; a view does not stack further LoRAs ({@code withLoras} is the base's to call). */
    @Override
    public LoraFile openLora(Path file) throws IOException {
        return base.openLora(file);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
