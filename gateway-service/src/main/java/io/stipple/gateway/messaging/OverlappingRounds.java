package io.stipple.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs rounds in up to {@code maxLanes} loops at once, so that the next round's claim and this round's
 * publishing overlap while a backlog lasts. A loop (a lane) runs rounds for as long as they come back full.
 * A round calls its {@code claimedFull} callback as soon as its claim came back full: another lane opens then,
 * if fewer than {@code maxLanes} run. A lone row costs one round in one lane; nothing waits for a batch to
 * fill. {@link #run()} completes when every lane has ended.
 *
 * <p>Rounds that overlap claim disjoint rows ({@code for update skip locked}) and keep each job's order as
 * rounds of two replicas do (see {@code OutboxRepository.claimBatch}).
 */
final class OverlappingRounds {

    private final int maxLanes;
    /** Runs one round; its argument is called when the claim came back full; its item says to go on (full, no failure). */
    private final Function<Runnable, Uni<Boolean>> round;

    OverlappingRounds(int maxLanes, Function<Runnable, Uni<Boolean>> round) {
        if (maxLanes < 1) {
            throw new IllegalArgumentException("rounds in flight must be at least 1, not " + maxLanes);
        }
        this.maxLanes = maxLanes;
        this.round = round;
    }

    /** Runs lanes until none has a full round left; never fails (a round reports its own failures). */
    Uni<Void> run() {
        return Uni.createFrom().emitter(done -> lane(new AtomicInteger(1), done));
    }

    private void lane(AtomicInteger open, UniEmitter<? super Void> done) {
        Runnable openAnother = () -> {
            if (open.getAndUpdate(n -> n < maxLanes ? n + 1 : n) < maxLanes) {
                lane(open, done);
            }
        };
        Uni.createFrom().deferred(() -> round.apply(openAnother))
                .onFailure().recoverWithItem(false)
                .subscribe().with(full -> {
                    if (full) {
                        lane(open, done);
                    } else if (open.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                });
    }
}
