package io.stipple.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.worker.model.DeviceProbe;
import io.stipple.runtime.WorkerIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/** Prepares the model cache at startup (a misconfigured cache fails the start, not the first job) and logs the device. */
@ApplicationScoped
public class WorkerStartup {

    private static final Logger LOG = Logger.getLogger(WorkerStartup.class);

    void onStart(@Observes StartupEvent event, WorkerConfig config, WorkerIdentity identity, MeterRegistry registry) {
        try {
            Files.createDirectories(config.cacheDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the model cache " + config.cacheDir(), e);
        }
        String device = DeviceProbe.device();
        Gauge.builder("stipple.worker.device", () -> 1).tag("device", device)
                .description("The device TensorFlow runs the models on (value always 1)").register(registry);
        LOG.infof("gpu-worker %s started on %s (TensorFlow intra-op %d, inter-op %d threads); model cache %s,"
                + " bundled models %s", identity.id(), device, config.tensorflow().intraOpThreads(),
                config.tensorflow().interOpThreads(), config.cacheDir(), config.bundledModelsDir().toAbsolutePath());
    }
}
