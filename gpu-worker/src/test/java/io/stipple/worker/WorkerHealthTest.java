package io.stipple.worker;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.stack.test.ManagementPortContract;
import io.stipple.stack.test.StippleStackResource;
import java.util.List;

/** The worker against the real stack: ready only when Kafka and the object store answer; operator endpoints on the management port. */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WorkerHealthTest extends ManagementPortContract {

    WorkerHealthTest() {
        super("Stipple gpu-worker", List.of("object-store", "Kafka connection health check"));
    }
}
