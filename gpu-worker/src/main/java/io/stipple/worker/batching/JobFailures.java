package io.stipple.worker.batching;

import io.stipple.storage.ObjectStoreException;
import io.stipple.worker.input.UnusableInputException;
import io.stipple.worker.mapping.UnsupportedSpecException;
import io.stipple.worker.model.ModelDownloadException;
import io.stipple.worker.model.ModelUnavailableException;

/**
 * Which failures of a job another attempt could fix. Bad input, an unknown or broken model, an
 * unsupported feature or a deterministic divergence fail the same way every time: not retryable.
 * Anything else (out of memory, a store outage or a download that broke off, a crash) is retryable:
 * the scheduler re-queues the job until its attempts run out.
 */
public final class JobFailures {

    private JobFailures() {
    }

    /**
     * True for an attempt lost to the infrastructure: the object store away or a model download it broke
     * off. Retryable, and retried by the scheduler from its infrastructure budget, not the job's attempts.
     */
    public static boolean infrastructure(Throwable e) {
        return e instanceof ModelDownloadException || ObjectStoreException.isCauseOf(e);
    }

    public static boolean retryable(Throwable e) {
        return !(e instanceof UnsupportedSpecException || e instanceof ModelUnavailableException
                || e instanceof UnusableInputException || e instanceof IllegalArgumentException
                || e instanceof ArithmeticException);
    }
}
