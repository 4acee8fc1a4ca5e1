package io.stipple.worker.batching;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.storage.ObjectStoreException;
import io.stipple.worker.model.ModelDownloadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class JobFailuresTest {

    @Test
    void theObjectStoreAwayIsAnInfrastructureFailureWhereverItIsWrapped() {
        ObjectStoreException store = new ObjectStoreException("put results/t/j/0.png failed", new IOException("refused"));
        assertTrue(JobFailures.infrastructure(store));
        assertTrue(JobFailures.infrastructure(new IllegalStateException("upload", store)));
        assertTrue(JobFailures.infrastructure(new ModelDownloadException("download broke off", new IOException("reset"))));
        assertTrue(JobFailures.retryable(new IllegalStateException("upload", store)));
    }

    @Test
    void theJobsOwnFailuresAreNot() {
        assertFalse(JobFailures.infrastructure(new OutOfMemoryError("Java heap space")));
        assertFalse(JobFailures.infrastructure(new UncheckedIOException(new IOException("disk full"))));
        assertFalse(JobFailures.infrastructure(new IllegalArgumentException("bad spec")));
    }
}
