package io.stipple.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of a trainer ({@code stipple.trainer.*}); infrastructure settings use the shared names (docs/local-stack.md). */
@ConfigMapping(prefix = "stipple.trainer")
public interface TrainerConfig {

    /** Names this trainer in job events and heartbeats; the host name when unset. */
    Optional<String> id();

    /**
     * Local working folder for checkpoints between their uploads to the object store; a volume in
     * deployments, so that a restarted trainer resumes.
     */
    @WithDefault("${java.io.tmpdir}/stipple-trainer-work")
    Path workDir();
}
