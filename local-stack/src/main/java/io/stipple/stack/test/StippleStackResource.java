package io.stipple.stack.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real stack of this test JVM (see {@link TestStack}) by
 * returning the configuration properties every Stipple service reads.
 */
public class StippleStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestStack.quarkusConfig();
    }

    @Override
    public void stop() {
        // The stack is shared by every test class of this JVM; a shutdown hook stops it at the end.
    }
}
