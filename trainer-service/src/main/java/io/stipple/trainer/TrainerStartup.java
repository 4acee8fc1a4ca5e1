package io.stipple.trainer;

import io.quarkus.runtime.StartupEvent;
import io.stipple.runtime.WorkerIdentity;
import io.stipple.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/** Prepares the working folder at startup, so a misconfigured folder fails the start rather than the first job. */
@ApplicationScoped
public class TrainerStartup {

    private static final Logger LOG = Logger.getLogger(TrainerStartup.class);

    void onStart(@Observes StartupEvent event, TrainerConfig config, WorkerIdentity identity) {
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the working folder " + config.workDir(), e);
        }
        LOG.infof("trainer %s started; working folder %s", identity.id(), config.workDir());
    }
}
