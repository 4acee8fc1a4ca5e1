package io.stipple.consumer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Sends a batch of outbox rows so that the rows of one key (a job) leave one after the other in batch
 * order, each only after Kafka acknowledged the one before, while different keys are sent in parallel.
 * A key's sends stop at its first failure: a later row must not overtake the one that failed, so it stays
 * for the next round too. Both services' outbox relays send their batches this way.
 */
public final class KeyedSends {

    /** What a batch came to: the rows Kafka acknowledged, in batch order, and the first failure, if any. */
    public record Result<R>(List<R> sent, int unsent, Throwable firstFailure) {
        public boolean complete() {
            return unsent == 0;
        }
    }

    private KeyedSends() {
    }

    /** Never fails: a failed send is counted in the result. */
    public static <R, K> Uni<Result<R>> send(List<R> rows, Function<R, K> key, Function<R, Uni<Void>> send) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Result<>(List.of(), 0, null));
        }
        Map<K, List<R>> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.computeIfAbsent(key.apply(row), k -> new ArrayList<>()).add(row));
        List<Uni<KeyResult<R>>> perKey = byKey.values().stream().map(keyRows -> inOrder(keyRows, send)).toList();
        return Uni.join().all(perKey).andFailFast().map(results -> {
            Set<R> acknowledged = Collections.newSetFromMap(new IdentityHashMap<>());
            Throwable firstFailure = null;
            for (KeyResult<R> result : results) {
                acknowledged.addAll(result.sent());
                if (firstFailure == null) {
                    firstFailure = result.failure();
                }
            }
            List<R> sent = rows.stream().filter(acknowledged::contains).toList();
            return new Result<>(sent, rows.size() - sent.size(), firstFailure);
        });
    }

    private record KeyResult<R>(List<R> sent, Throwable failure) {
    }

    private static <R> Uni<KeyResult<R>> inOrder(List<R> keyRows, Function<R, Uni<Void>> send) {
        List<R> sent = new ArrayList<>();
        return Multi.createFrom().iterable(keyRows)
                .onItem().transformToUniAndConcatenate(row -> send.apply(row).invoke(() -> sent.add(row)))
                .collect().last()
                .map(ignored -> new KeyResult<R>(sent, null))
                .onFailure().recoverWithItem(failure -> new KeyResult<>(sent, failure));
    }
}
