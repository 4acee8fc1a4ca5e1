package io.stipple.engine.sd.train;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBooth;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.dreambooth.DreamBoothData;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.training.AdamWConfig;
import io.stipple.engine.training.CheckpointStore;
import io.stipple.engine.training.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * DreamBooth-LoRA on a Stable Diffusion base, as diffusers' {@code train_dreambooth_lora.py}:
 * class images generated with the base for the class prompt (cached, as for Stipple's models:
 * {@link ClassImages}), instance and class images VAE-encoded once to the distribution mean times
 * the scaling factor (the base's codec), then {@link DreamBoothData}'s batches through
 * {@link TrainingRun} with an {@link SdLoraTrainer}: checkpoints in the work directory and the
 * {@link CheckpointStore}, resume from the latest, the loss log. The adapters are written as
 * {@value #DIFFUSERS_FILE} and {@value #KOHYA_FILE} in the work directory.
 */
public final class SdDreamBooth {

    public static final String DIFFUSERS_FILE = "pytorch_lora_weights.safetensors";
    public static final String KOHYA_FILE = "lora_kohya.safetensors";
    private static final int ENCODE_BATCH = 8;

    private final ClassImages classImages;
    private final CheckpointStore checkpoints;
    private final PrintStream log;

    public SdDreamBooth(ClassImages classImages, CheckpointStore checkpoints, PrintStream log) {
        this.classImages = classImages;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    /**
     * @param lora      the adapters' weights and the run's result
     * @param summary   steps, final loss, speed
     * @param diffusers the diffusers-format LoRA file
     * @param kohya     the kohya-format LoRA file
     */
    public record Result(LoraWeights lora, TrainingRun.Summary summary, Path diffusers, Path kohya) {
    }

    /**
     * Runs (or resumes) the fine-tune.
     *
     * @param base       the loaded SD base (text encoder, VAE, scheduler, class images)
     * @param unetFolder the base's diffusers {@code unet/} folder, whose weights the adapters train over
     * @param instances  instance images [N, H, W, 3] in [-1, 1] at the base's native size
     */
    public Result train(DiffusionModel base, Path unetFolder, DreamBoothConfig config, Tensor instances, Path workDir,
            DreamBooth.Listener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
        if (config.method() != DreamBoothConfig.Method.LORA || config.trainTextEncoder()) {
            throw new IllegalArgumentException("a Stable Diffusion fine-tune trains LoRA adapters on the U-Net"
                    + " (method lora, text encoder frozen)");
        }
        ImageSize size = base.defaults().nativeSize();
        int[] expected = {instances.batchSize(), size.height(), size.width(), 3};
        if (!Arrays.equals(instances.shape(), expected)) {
            throw new IllegalArgumentException("instance images are " + Arrays.toString(instances.shape())
                    + "; this base trains on " + Arrays.toString(expected));
        }
        int[] latentShape = base.sampleShape(size);
        int stride = latentShape[0] * latentShape[1] * latentShape[2];
        float[] classLatents = new float[0];
        if (config.priorPreservation()) {
            float[] images = classImages.obtain(base, config.classPrompt(), config.numClassImages(), config.classImages(),
                    workDir.resolve("class-images"), listener::classImages);
            classLatents = encode(base, Tensor.of(images, config.numClassImages(), size.height(), size.width(), 3));
        }
        DreamBoothData data = new DreamBoothData(encode(base, instances), instances.batchSize(), classLatents,
                config.priorPreservation() ? config.numClassImages() : 0, stride, config);
        LoraTrainingConfig training = new LoraTrainingConfig(LoraSpec.unetAttention(config.loraRank()),
                AdamWConfig.dreamBooth(config.learningRate()), config.priorLossWeight(),
                DreamBoothConfig.CLIP_NORM);
        try (UNetLoraTrainer unet = UNetLoraTrainer.load(unetFolder, training, null)) {
            SdLoraTrainer trainer = new SdLoraTrainer(unet, base.prompts(), NoiseSchedule.of(base.schedulerConfig()),
                    base.schedulerConfig().predictionType(), latentShape, config.priorPreservation(), config.seed());
            TrainingRun.Summary summary = new TrainingRun(trainer, data, workDir, config.checkpointEvery(), log)
                    .onStep(listener::step)
                    .cancelWhen(cancelled)
                    .checkpointsTo(checkpoints)
                    .run(config.steps(), "DreamBooth-LoRA " + config.instancePrompt());
            LoraWeights lora = trainer.lora();
            return new Result(lora, summary,
                    LoraExport.write(lora, LoraExport.Format.DIFFUSERS, workDir.resolve(DIFFUSERS_FILE)),
                    LoraExport.write(lora, LoraExport.Format.KOHYA, workDir.resolve(KOHYA_FILE)));
        }
    }

    /** Images to latents (the codec's mean x scaling factor), a few at a time. */
    private static float[] encode(DiffusionModel base, Tensor images) {
        Tensor[] parts = new Tensor[(images.batchSize() + ENCODE_BATCH - 1) / ENCODE_BATCH];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = base.codec().encode(images.slice(i * ENCODE_BATCH, Math.min(images.batchSize(), (i + 1) * ENCODE_BATCH)));
        }
        return Tensor.concat(parts).data();
    }
}
