package io.stipple.gateway.service;

import io.stipple.gateway.service.rejection.BusyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload bound: a full set of slots refuses with a Retry-After, a freed slot is taken again. */
class UploadSlotsTest {

    @Test
    void aFullSetOfSlotsRefusesAndAFreedSlotIsTakenAgain() throws Exception {
        UploadSlots slots = new UploadSlots(1, Duration.ZERO);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> slots.withSlot(() -> {
            holding.countDown();
            await(release);
            return "first";
        }));
        holding.await();
        BusyException busy = assertThrows(BusyException.class, () -> slots.withSlot(() -> "second"));
        assertTrue(busy.retryAfterSeconds() >= 1, "Retry-After of at least a second");
        assertTrue(busy.getMessage().contains("(1)"), busy.getMessage());
        release.countDown();
        assertEquals("first", first.get());
        assertEquals("third", slots.withSlot(() -> "third"));
    }

    @Test
    void aFailingUploadGivesItsSlotBack() {
        UploadSlots slots = new UploadSlots(1, Duration.ZERO);
        assertThrows(IllegalStateException.class, () -> slots.withSlot(() -> {
            throw new IllegalStateException("store failed");
        }));
        assertEquals("next", slots.withSlot(() -> "next"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
