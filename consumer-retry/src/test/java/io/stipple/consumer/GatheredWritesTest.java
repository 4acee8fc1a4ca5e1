package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GatheredWritesTest {

    /** Each write's items, and the future that ends it. */
    private final List<List<Integer>> written = new ArrayList<>();
    private final List<CompletableFuture<Void>> ends = new ArrayList<>();
    /** Each gathering pause's future, in the order the pauses began. */
    private final List<CompletableFuture<Void>> pauses = new ArrayList<>();
    private final GatheredWrites<Integer> writes = new GatheredWrites<>(this::write);

    /** A gathering pause that ends when the test says so. */
    private Uni<Void> pause() {
        CompletableFuture<Void> pause = new CompletableFuture<>();
        pauses.add(pause);
        return Uni.createFrom().completionStage(pause);
    }

    /** A write that ends when the test says so. */
    private Uni<Void> write(List<Integer> items) {
        written.add(items);
        CompletableFuture<Void> end = new CompletableFuture<>();
        ends.add(end);
        return Uni.createFrom().completionStage(end);
    }

    @Test
    void aLoneItemIsWrittenAtOnceAndItemsAddedMeanwhileGoTogetherInTheNextWrite() {
        writes.add(1);
        assertEquals(List.of(List.of(1)), written);

        writes.add(2);
        writes.add(3);
        assertEquals(1, written.size(), "one write at a time");

        ends.get(0).complete(null);
        assertEquals(List.of(List.of(1), List.of(2, 3)), written);
        ends.get(1).complete(null);
        assertEquals(2, written.size(), "nothing left to write");
    }

    @Test
    void aFailedWriteEndsLikeASuccessfulOne() {
        writes.add(1);
        writes.add(2);
        ends.get(0).completeExceptionally(new IllegalStateException("database away"));
        assertEquals(List.of(List.of(1), List.of(2)), written);

        ends.get(1).complete(null);
        writes.add(3);
        assertEquals(List.of(3), written.get(2));
    }

    @Test
    void withAPauseAStatementTakesEverythingAddedUntilThePauseEnds() {
        GatheredWrites<Integer> gathered = new GatheredWrites<>(this::write, this::pause);

        gathered.add(1);
        gathered.add(2);
        assertEquals(List.of(), written, "nothing is written before the pause ends");
        assertEquals(1, pauses.size(), "one pause for both");
        pauses.get(0).complete(null);
        assertEquals(List.of(List.of(1, 2)), written);

        gathered.add(3);
        ends.get(0).complete(null);
        assertEquals(1, written.size(), "the next statement gathers too");
        gathered.add(4);
        pauses.get(1).complete(null);
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), written);
        ends.get(1).complete(null);
        assertEquals(2, pauses.size(), "no pause while nothing is pending");
    }

    @Test
    void whatACallerTookIsNotWrittenAgainAndAStatementWithNothingLeftIsNone() {
        GatheredWrites<Integer> gathered = new GatheredWrites<>(this::write, this::pause);

        gathered.add(1);
        gathered.add(2);
        assertEquals(List.of(1, 2), gathered.takeAll());
        pauses.get(0).complete(null);
        assertEquals(List.of(), written, "nothing was left to write");

        gathered.add(3);
        pauses.get(1).complete(null);
        assertEquals(List.of(List.of(3)), written, "the writes go on after an empty one");
    }
}
