package io.stipple.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

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

    /** Models kept loaded in memory at once; the least recently used one is closed beyond this. */
    @WithDefault("2")
    int maxLoadedModels();

    /** Jobs sampled at the same time (each on its own thread); more held jobs wait in memory, heartbeating. */
    @WithDefault("1")
    int concurrency();

    /** Least time between two progress events of a job (the last step is always reported). */
    @WithDefault("1s")
    Duration progressInterval();
}
