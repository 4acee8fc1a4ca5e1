package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KeyedSendsTest {

    private record Row(String key, int id) {
    }

    /** Sends the test completes by hand, by row id. */
    private final Map<Integer, CompletableFuture<Void>> acks = new HashMap<>();
    private final List<Integer> started = new ArrayList<>();

    private Uni<Void> send(Row row) {
        return Uni.createFrom().completionStage(() -> {
            started.add(row.id());
            return acks.computeIfAbsent(row.id(), id -> new CompletableFuture<>());
        });
    }

    @Test
    void aKeysRowsLeaveOneAfterTheOtherWhileKeysGoInParallel() {
        List<Row> rows = List.of(new Row("a", 1), new Row("b", 2), new Row("a", 3));
        CompletableFuture<KeyedSends.Result<Row>> result = KeyedSends.send(rows, Row::key, this::send)
                .subscribeAsCompletionStage();
        assertEquals(List.of(1, 2), started, "a's second row waits for its first; b's starts at once");

        acks.get(1).complete(null);
        assertEquals(List.of(1, 2, 3), started);
        acks.get(3).complete(null);
        assertFalse(result.isDone(), "b is still waiting");
        acks.get(2).complete(null);

        KeyedSends.Result<Row> done = result.join();
        assertEquals(rows, done.sent(), "acknowledged rows in batch order");
        assertEquals(true, done.complete());
    }

    @Test
    void aFailedRowHoldsBackTheLaterRowsOfItsKeyOnly() {
        List<Row> rows = List.of(new Row("a", 1), new Row("b", 2), new Row("a", 3), new Row("b", 4));
        CompletableFuture<KeyedSends.Result<Row>> result = KeyedSends.send(rows, Row::key, this::send)
                .subscribeAsCompletionStage();
        IllegalStateException brokerAway = new IllegalStateException("broker away");
        acks.get(1).completeExceptionally(brokerAway);
        acks.get(2).complete(null);
        acks.get(4).complete(null);

        KeyedSends.Result<Row> done = result.join();
        assertEquals(List.of(1, 2, 4), started, "row 3 is never sent: it must not overtake row 1");
        assertEquals(List.of(new Row("b", 2), new Row("b", 4)), done.sent());
        assertEquals(2, done.unsent());
        assertEquals(brokerAway, done.firstFailure());
    }
}
