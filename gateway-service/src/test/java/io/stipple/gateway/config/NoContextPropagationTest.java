package io.stipple.gateway.config;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stipple.stack.test.StippleStackResource;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Mutiny leaves the gateway's callbacks as they are: its context propagation (mutiny-smallrye-context-propagation) is
 * removed from the application (application.properties says why), so no stage of a request's Uni is wrapped in a
 * captured context. The property gone, or another decorator of Mutiny's callbacks on the class path, fails this; the
 * request flows that read the request-scoped caller after a database round trip or blocking work (the submission,
 * upload and listing tests) fail if the request's context is lost without it.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class NoContextPropagationTest {

    @Test
    void mutinyLeavesCallbacksUnwrapped() {
        // One decorator wraps all of Mutiny's callback kinds, so one kind tells (the scheduler's NoContextPropagationTest checks each).
        Supplier<String> callback = () -> "item";
        assertSame(callback, Infrastructure.decorate(callback), "a Uni's callbacks are wrapped in a captured context");
    }
}
