package io.stipple.worker;

import io.quarkus.runtime.StartupEvent;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.runtime.WorkerIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/** Prepares the model cache at startup, so a misconfigured cache fails the start rather than the first job. */
@ApplicationScoped
public class WorkerStartup {

    private static final Logger LOG = Logger.getLogger(WorkerStartup.class);

    void onStart(@Observes StartupEvent event, WorkerConfig config, WorkerIdentity identity) {
        try {
            Files.createDirectories(config.cacheDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the model cache " + config.cacheDir(), e);
        }
        LOG.infof("gpu-worker %s started; model cache %s, bundled models %s", identity.id(), config.cacheDir(),
                config.bundledModelsDir().toAbsolutePath());
    }
}
