package io.stipple.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings of a gpu-worker ({@code stipple.worker.*}); job-runtime's are {@code stipple.runtime.*}; infrastructure settings use the shared names (docs/local-stack.md). */
@ConfigMapping(prefix = "stipple.worker")
public interface WorkerConfig {

    /** Local cache for models fetched from the object store; kept across restarts when it is a volume. */
    @WithDefault("${java.io.tmpdir}/stipple-worker-cache")
    Path cacheDir();

    /**
     * Model folders shipped with the worker ({@code <dir>/<name>/<version>/model_card.json}), used
     * when the object store has no files for a requested version: the bundled base model works
     * before anything was uploaded.
     */
    @WithDefault("models")
    Path bundledModelsDir();

    /**
     * The noise-aware attribute classifier that classifier guidance follows (name@version), found
     * like a model version: object store, else bundled.
     */
    @WithDefault("stipple-guidance-classifier-16@1")
    String guidanceClassifier();

    /** Largest start image or mask (width x height) a job may name; larger uploads fail the job. */
    @WithDefault("16777216")
    long maxInputPixels();

    /** Models kept loaded in memory at once; the least recently used one is closed beyond this. */
    @WithDefault("2")
    int maxLoadedModels();

    /**
     * LoRA files kept open per loaded model (a LoRA's header checked once; its matrices are read per batch);
     * the least recently used one no batch holds is closed beyond this.
     */
    @WithDefault("32")
    int maxLorasPerModel();

    /** Imported single-file checkpoints. */
    SingleFile singleFile();

    /**
     * Sampling threads, each running one batch at a time; more held jobs wait in memory,
     * heartbeating. One is right for a CPU or a single GPU: batching, not threads, shares the device.
     */
    @WithDefault("1")
    int concurrency();

    /** Least time between two progress events of a job (the last step is always reported). */
    @WithDefault("1s")
    Duration progressInterval();

    /**
     * Least time between two previews of a job (a small PNG of the current estimate, named in a
     * progress event); zero turns previews off.
     */
    @WithDefault("5s")
    Duration previewInterval();

    /**
     * Result objects (each image's PNG and JSON sidecar) put into the object store at once, over every job this
     * worker finishes: a job's puts run side by side instead of one round trip after the other. Each job's last put
     * runs on its sampling thread, beside these.
     */
    @WithDefault("4")
    int uploadConcurrency();

    /** Dynamic batching of compatible jobs (docs/architecture.md, gpu-worker). */
    Batching batching();

    /** The cascade's super-resolution stages. */
    Upscale upscale();

    /** TensorFlow's thread pools for every model this worker loads. */
    TensorFlow tensorflow();

    interface Batching {

        /** Most images sampled together in one network batch; a job asking for more runs alone. */
        @WithDefault("8")
        int maxImages();

        /**
         * Longest time the oldest waiting job holds its batch open while more jobs of the same Kafka poll
         * are still being queued (they are queued one after the other, within microseconds, unless
         * holding one stalls); a full batch, or one whose poll is all queued, starts at once. Zero
         * batches only what is already waiting.
         */
        @WithDefault("100ms")
        Duration maxWait();
    }

    interface SingleFile {

        /**
         * CLIP tokenizer folders (vocab.json, merges.txt, tokenizer_config.json) by family, {@code sd1} and
         * {@code sd2}: no single file holds its tokenizer, so one imported without a {@code tokenizer/} folder
         * beside it takes this one. A family without a folder fails such jobs, naming this setting.
         */
        Map<String, Path> tokenizers();
    }

    interface Upscale {

        /**
         * Super-resolution stage models (name@version) in chain order: upscale x2 runs the first,
         * x4 the first two (docs/cascade.md). Fetched like base models (object store, else bundled).
         */
        @WithDefault("stipple-sr-16-32@3,stipple-sr-32-64@3")
        List<String> stages();
    }

    interface TensorFlow {

        /** Threads one op (a convolution, a matmul) may use; the core count is usually best. */
        @WithDefault("2")
        int intraOpThreads();

        /** Independent ops run at the same time; 2 was fastest on the project's 2-core machines (docs/field-notes.md). */
        @WithDefault("2")
        int interOpThreads();
    }
}
