package io.stipple.gateway.service;

import io.stipple.gateway.service.rejection.BusyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload bound: a full set of slots refuses with a Retry-After, a freed slot is taken again, once. */
class UploadSlotsTest {

    @Test
    void aFullSetOfSlotsRefusesAndAFreedSlotIsTakenAgain() {
        UploadSlots slots = new UploadSlots(1, Duration.ZERO);
        UploadSlots.Slot first = slots.acquire();
        BusyException busy = assertThrows(BusyException.class, slots::acquire);
        assertTrue(busy.retryAfterSeconds() >= 1, "Retry-After of at least a second");
        assertTrue(busy.getMessage().contains("(1)"), busy.getMessage());
        first.close();
        try (UploadSlots.Slot again = slots.acquire()) {
            assertEquals(0, slots.available());
        }
        assertEquals(1, slots.available());
    }

    @Test
    void aSlotClosedTwiceIsGivenBackOnce() {
        UploadSlots slots = new UploadSlots(2, Duration.ZERO);
        UploadSlots.Slot slot = slots.acquire();
        slot.close();
        slot.close();
        assertEquals(2, slots.available());
    }
}
