package io.stipple.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of a trainer ({@code stipple.trainer.*}); infrastructure settings use the shared names (docs/local-stack.md). */
@ConfigMapping(prefix = "stipple.trainer")
public interface TrainerConfig {

    /**
     * Local working folder: per-job training state between checkpoint uploads, downloaded base
     * models, exports before upload. The object store holds what must survive the process.
     */
    @WithDefault("${java.io.tmpdir}/stipple-trainer-work")
    Path workDir();

    /** Model versions shipped with Stipple, {@code <dir>/<name>/<version>/}: used when the object store lacks a base. */
    @WithDefault("models")
    Path bundledModelsDir();

    /** Steps between checkpoints uploaded to the job's checkpoint prefix. */
    @WithDefault("100")
    int checkpointEvery();

    /** Object-store prefix of the class-image cache (shared by every job and trainer). */
    @WithDefault("cache/")
    String cachePrefix();

    /** Fine-tunes run at once (each takes the machine's cores; more only with more cores or GPUs). */
    @WithDefault("1")
    int concurrency();

    /** Least time between two progress events of a job (the last step is always reported). */
    @WithDefault("2s")
    java.time.Duration progressInterval();

    /** Instance images a fine-tune accepts. */
    Instances instances();

    /** Fine-tunes of Stable Diffusion bases (docs/dreambooth.md, "Stable Diffusion bases"). */
    StableDiffusion stableDiffusion();

    interface StableDiffusion {
        /** Sampler of the prior-preservation class images the base generates (a sampler name of the API). */
        @WithDefault("ddim")
        String classImageSampler();

        /** Sampling steps per class image. */
        @WithDefault("25")
        int classImageSteps();

        /** Classifier-free guidance of the class images (diffusers' pipelines default to 7.5). */
        @WithDefault("7.5")
        double classImageGuidance();
    }

    /** Limits of model imports (docs/importing-models.md). */
    Imports imports();

    interface Imports {
        /** Most entries (files and folders) an uploaded archive may have. */
        @WithDefault("2000")
        int maxEntries();

        /** Most bytes an archive may unpack to, counted while unpacking (an SD 1.5 pipeline in fp32 is about 5.5 GB). */
        @WithDefault("21474836480")
        long maxUnpackedBytes();

        /**
         * Largest LoRA file accepted (an SD 1.5 LoRA of rank 128 on every linear layer is about 300 MB in fp16;
         * most shared ones are 10 to 150 MB).
         */
        @WithDefault("1073741824")
        long maxLoraBytes();
    }

    interface Instances {
        @WithDefault("3")
        int min();

        @WithDefault("10")
        int max();

        /** Largest decoded image (width x height) an instance may be; larger ones are refused unread. */
        @WithDefault("16777216")
        long maxPixels();
    }
}
