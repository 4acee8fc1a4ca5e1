package io.stipple.engine.model;

import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.export.SuperResolutionSpec;
import io.stipple.engine.schedulers.SchedulerConfig;
import java.util.Optional;

/**
 * A model that runs another loaded model's networks with its own prompt encoder and denoiser
 * (e.g. LoRA branches fed per run): everything else is the base's. Closing it frees only what the
 * view holds ({@code onClose}); the base stays open and must outlive the view.
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
    public Optional<SuperResolutionSpec> superResolution() {
        return base.superResolution();
    }

    @Override
    public void close() {
        onClose.run();
    }
}
