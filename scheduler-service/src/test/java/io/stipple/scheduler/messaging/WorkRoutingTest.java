package io.stipple.scheduler.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.policy.DispatchSlots;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkRoutingTest {

    private final WorkRouting routing = routing(Map.of("acme", "acme-gpus"));

    @Test
    void aPooledTenantsGenerationWorkGoesToItsPoolsTopicAndEveryoneElsesToTheSharedOne() {
        assertEquals(Optional.of("stipple.work.generation.acme-gpus"), routing.poolTopic(generation("acme")));
        assertEquals(Optional.empty(), routing.poolTopic(generation("globex")));
    }

    @Test
    void fineTuneWorkIsNotPooled() {
        FineTuneWorkItem item = new FineTuneWorkItem(SchemaVersion.CURRENT, UUID.randomUUID(), "acme", 1, 1, Instant.now(),
                Specs.fineTune(), "checkpoints/acme/x/", "models/my-star/x/", "x", 1000, Instant.now());
        assertEquals(Optional.empty(), routing.poolTopic(item));
    }

    @Test
    void aBadPoolNameIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> routing(Map.of("acme", "Bad Pool")));
    }

    private static WorkRouting routing(Map<String, String> tenantPools) {
        return new WorkRouting(new DispatchSlots(4, 1, 1, tenantPools, Map.of()));
    }

    private static GenerationWorkItem generation(String tenant) {
        return new GenerationWorkItem(SchemaVersion.CURRENT, UUID.randomUUID(), tenant, 1, 1, Instant.now(),
                Specs.generation(), "results/" + tenant + "/x/", 1000, Instant.now());
    }
}
