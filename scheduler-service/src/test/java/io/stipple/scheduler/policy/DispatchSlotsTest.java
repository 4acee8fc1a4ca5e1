package io.stipple.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.contracts.spec.JobKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchSlotsTest {

    private static final SlotGroup SHARED = SlotGroup.shared(JobKind.GENERATION);
    private static final SlotGroup ACME_GPUS = SlotGroup.pool(JobKind.GENERATION, "acme-gpus");
    private static final SlotGroup BIG = SlotGroup.pool(JobKind.GENERATION, "big");

    private final DispatchSlots slots = new DispatchSlots(4, 1, 3,
            Map.of("acme", "acme-gpus", "initech", "acme-gpus", "globex", "big"), Map.of("acme-gpus", 2));

    @Test
    void aPoolsJobsInFlightTakeNoSharedSlot() {
        // acme's pool has no live worker: its two dispatched jobs sit in the pool's topic until their leases run out.
        Map<SlotGroup, Integer> free = slots.free(JobKind.GENERATION, Map.of("acme", 2L, "hooli", 1L));
        assertEquals(Map.of(SHARED, 3, ACME_GPUS, 0, BIG, 4), free);
    }

    @Test
    void tenantsOfOnePoolShareItsSlotsAndNoneGoesBelowZero() {
        assertEquals(Map.of(SHARED, 4, ACME_GPUS, 0, BIG, 4),
                slots.free(JobKind.GENERATION, Map.of("acme", 1L, "initech", 5L)));
        assertEquals(Map.of(SHARED, 0L, ACME_GPUS, 6L, BIG, 0L),
                slots.inFlight(JobKind.GENERATION, Map.of("acme", 1L, "initech", 5L)));
    }

    @Test
    void aPoolWithoutItsOwnLimitGetsTheSharedTopicsAndFineTunesAreNotPooled() {
        assertEquals(4, slots.limit(BIG));
        assertEquals(SlotGroup.shared(JobKind.FINETUNE), slots.groupOf(JobKind.FINETUNE, "acme"));
        assertEquals(List.of(SlotGroup.shared(JobKind.FINETUNE)), slots.groups(JobKind.FINETUNE));
        assertEquals(Map.of(SlotGroup.shared(JobKind.FINETUNE), 0), slots.free(JobKind.FINETUNE, Map.of("acme", 1L)));
        assertEquals(List.of(SHARED, ACME_GPUS, BIG), slots.groups(JobKind.GENERATION));
    }

    @Test
    void modelImportsHaveTheirOwnSharedSlots() {
        SlotGroup imports = SlotGroup.shared(JobKind.MODEL_IMPORT);
        assertEquals(3, slots.limit(imports));
        assertEquals(imports, slots.groupOf(JobKind.MODEL_IMPORT, "acme"));
        assertEquals(Map.of(imports, 1), slots.free(JobKind.MODEL_IMPORT, Map.of("acme", 1L, "globex", 1L)));
    }

    @Test
    void aLimitForAPoolNoTenantUsesIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new DispatchSlots(4, 1, 1, Map.of("acme", "acme-gpus"),
                Map.of("acme-gpu", 2)));
        assertThrows(IllegalArgumentException.class, () -> new DispatchSlots(4, 1, 1, Map.of("acme", "acme-gpus"),
                Map.of("acme-gpus", -1)));
    }
}
