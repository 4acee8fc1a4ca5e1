package io.stipple.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stipple.stack.test.StippleStackResource;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Mutiny leaves the scheduler's callbacks as they are: its context propagation (mutiny-smallrye-context-propagation)
 * is removed from the application (application.properties says why), so no stage of a Uni is wrapped in a captured
 * context. The property gone, or another decorator of Mutiny's callbacks on the class path, fails this.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class NoContextPropagationTest {

    @Test
    void mutinyLeavesCallbacksUnwrapped() {
        Supplier<String> supplier = () -> "item";
        Function<String, String> function = String::trim;
        Consumer<String> consumer = item -> { };
        Runnable runnable = () -> { };

        assertSame(supplier, Infrastructure.decorate(supplier));
        assertSame(function, Infrastructure.decorate(function));
        assertSame(consumer, Infrastructure.decorate(consumer));
        assertSame(runnable, Infrastructure.decorate(runnable));
    }
}
