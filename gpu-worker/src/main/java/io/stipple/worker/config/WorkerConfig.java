package io.stipple.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of a gpu-worker ({@code stipple.worker.*}); infrastructure settings use the shared names (docs/local-stack.md). */
@ConfigMapping(prefix = "stipple.worker")
public interface WorkerConfig {

    /** Names this worker in job events and heartbeats; the host name when unset (one worker per container). */
    Optional<String> id();

    /** Local cache for models fetched from the object store; kept across restarts when it is a volume. */
    @WithDefault("${java.io.tmpdir}/stipple-worker-cache")
    Path cacheDir();
}
