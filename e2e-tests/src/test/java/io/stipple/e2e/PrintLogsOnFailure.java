package io.stipple.e2e;

import io.stipple.e2e.fixtures.E2eServices;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tails of the services' logs when an e2e test fails (the whole logs are in target/e2e-logs/). */
public class PrintLogsOnFailure implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        E2eServices.get().printLogTails();
    }
}
