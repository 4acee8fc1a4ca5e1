package io.stipple.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.stack.process.Directories;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.StorageSettings;
import io.stipple.worker.batching.JobFailures;
import io.stipple.worker.config.WorkerConfig;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How the worker classes a model it cannot have: a download from the real object store that breaks
 * off partway, or a store that refuses connections, may pass on another attempt (retryable, and the
 * next attempt redoes the half download); a model that exists nowhere fails for good, saying so.
 * Runs in the shared worker application (same test resource as the job tests: no second boot).
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ModelDownloadFailuresTest {

    @Inject
    ObjectStore store;

    @Inject
    WorkerConfig config;

    @Test
    void aDownloadThatBreaksOffIsRetryableAndTheNextAttemptRedoesIt() throws Exception {
        ModelRef ref = new ModelRef("flaky-" + UUID.randomUUID(), "1");
        byte[] weights = new byte[64 * 1024];
        new Random(7).nextBytes(weights);
        store.put(ObjectKeys.model(ref.name(), ref.version(), "weights.bin"), weights, "application/octet-stream");
        String objectGets = "GET /" + store.settings().bucket() + "/" + ObjectKeys.modelPrefix(ref.name(), ref.version());

        try (BreakingS3Proxy proxy = new BreakingS3Proxy(URI.create(store.settings().endpoint()), objectGets, 4096);
                ObjectStore throughProxy = new ObjectStore(at(proxy.endpoint()))) {
            ModelFolders folders = new ModelFolders(throughProxy, config);

            RuntimeException broken = assertThrows(RuntimeException.class, () -> folders.locate(ref));
            assertTrue(JobFailures.retryable(broken), broken.toString());
            assertTrue(broken.getMessage().contains("model " + ref + " could not be downloaded"), broken.getMessage());

            proxy.heal();
            Path folder = folders.locate(ref);
            try {
                assertArrayEquals(weights, Files.readAllBytes(folder.resolve("weights.bin")));
            } finally {
                Directories.deleteRecursively(folder.getParent()); // the cache folder outlives the test JVM
            }
        }
    }

    @Test
    void aStoreThatRefusesConnectionsIsRetryableForModelsAndTheGuidanceClassifier() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ObjectStore refusing = new ObjectStore(at("http://127.0.0.1:" + closedPort))) {
            ModelRef ref = new ModelRef("unreachable-" + UUID.randomUUID(), "1");
            RuntimeException refused = assertThrows(RuntimeException.class, () -> new ModelFolders(refusing, config).locate(ref));
            assertTrue(JobFailures.retryable(refused), refused.toString());
            assertTrue(refused.getMessage().startsWith("model " + ref + ": the object store could not be listed"),
                    refused.getMessage());

            // The guidance classifier is found the same way and must not turn the outage into a final failure.
            RuntimeException classifier = assertThrows(RuntimeException.class,
                    () -> new GuidanceClassifier(new ModelFolders(refusing, config), config).get());
            assertTrue(JobFailures.retryable(classifier), classifier.toString());
        }
    }

    @Test
    void aModelThatExistsNowhereFailsForGoodSayingWhereItWasLookedFor() {
        ModelRef ref = new ModelRef("nowhere-" + UUID.randomUUID(), "1");
        RuntimeException unknown = assertThrows(RuntimeException.class, () -> new ModelFolders(store, config).locate(ref));
        assertFalse(JobFailures.retryable(unknown), unknown.toString());
        assertTrue(unknown.getMessage().contains("unknown model " + ref + ": not in object store"), unknown.getMessage());
    }

    private StorageSettings at(String endpoint) {
        StorageSettings real = store.settings();
        return new StorageSettings(endpoint, real.accessKey(), real.secretKey(), real.bucket(), real.region());
    }
}
