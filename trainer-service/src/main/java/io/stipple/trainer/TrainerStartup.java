package io.stipple.trainer;

import io.quarkus.runtime.StartupEvent;
import io.stipple.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/** Prepares the working folder at startup, so a misconfigured folder fails the start rather than the first job. */
@ApplicationScoped
public class TrainerStartup {

    private static final Logger LOG = Logger.getLogger(TrainerStartup.class);

    void onStart(@Observes StartupEvent event, TrainerConfig config) {
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the working folder " + config.workDir(), e);
        }
        LOG.infof("trainer %s started; working folder %s", config.id().orElseGet(TrainerStartup::hostName), config.workDir());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "trainer";
        }
    }
}
