package io.stipple.engine.sd.train;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.model.PromptEncoder;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.sd.unet.UNetDenoiser;
import io.stipple.engine.training.StepNoise;
import io.stipple.engine.training.StepRandom;
import io.stipple.engine.training.StepResult;
import io.stipple.engine.training.StepTrainer;
import io.stipple.engine.training.TrainingBatch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link StepTrainer} for LoRA on a Stable Diffusion U-Net, so {@code training.TrainingRun}
 * drives it (checkpoints, resume, loss log) as it drives Stipple's own models. A batch's
 * "images" are VAE latents (NHWC); its captions are encoded by the base model's text encoder
 * (frozen); the timesteps and noise of a step come from (seed, step), so a resumed run repeats an
 * uninterrupted one. With prior preservation the batch's first half are instance examples and the
 * second half class examples, as diffusers' script chunks it.
 */
public final class SdLoraTrainer implements StepTrainer {

    private final UNetLoraTrainer unet;
    private final PromptEncoder prompts;
    private final NoiseSchedule schedule;
    private final PredictionType predictionType;
    private final int[] latentShape;
    private final boolean priorPreservation;
    private final long seed;

    /**
     * @param latentShape one example's latent shape {h, w, c}
     * @param prompts     the base model's prompt encoder, giving {@link UNetDenoiser#ENCODER_HIDDEN_STATES}
     */
    public SdLoraTrainer(UNetLoraTrainer unet, PromptEncoder prompts, NoiseSchedule schedule,
            PredictionType predictionType, int[] latentShape, boolean priorPreservation, long seed) {
        this.unet = unet;
        this.prompts = prompts;
        this.schedule = schedule;
        this.predictionType = predictionType;
        this.latentShape = latentShape.clone();
        this.priorPreservation = priorPreservation;
        this.seed = seed;
    }

    @Override
    public void initialize() {
        unet.startFresh(seed);
    }

    @Override
    public void restore(Path checkpoint) {
        unet.restore(checkpoint);
    }

    @Override
    public void save(Path checkpoint) throws IOException {
        unet.save(checkpoint);
    }

    @Override
    public long step() {
        return unet.step();
    }

    @Override
    public StepResult train(TrainingBatch batch) {
        int n = batch.size();
        if (priorPreservation && n % 2 != 0) {
            throw new IllegalArgumentException("a prior-preservation batch is instance and class examples in equal numbers, not " + n);
        }
        Tensor latents = Tensor.of(batch.images(), n, latentShape[0], latentShape[1], latentShape[2]);
        StepNoise drawn = StepNoise.draw(StepRandom.of(seed, unet.step()), n, batch.images().length,
                schedule.numTrainTimesteps());
        int[] timesteps = drawn.timesteps();
        NoisedLatents noised = NoisedLatents.of(schedule, predictionType, latents, latents.withData(drawn.noise()), timesteps);
        Tensor states = prompts.encode(batch.captions()).get(UNetDenoiser.ENCODER_HIDDEN_STATES);
        LoraStepResult result = unet.step(new LoraStepBatch(noised.noisy(), timesteps, states, noised.target(),
                priorPreservation ? n / 2 : n));
        return new StepResult(result.step(), result.loss(), result.gradientNorm(),
                (float) unet.config().optimizer().learningRate());
    }

    /** The adapters now. */
    public LoraWeights lora() {
        return unet.lora();
    }
}
