package io.stipple.gateway.repository;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.messaging.AfterCommitSender;
import io.stipple.gateway.repository.SubmissionRepository.NewSubmission;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Group commit for submissions. One statement of {@link SubmissionRepository} is in flight at a
 * time; submissions that arrive meanwhile wait and go together in the next one (at most
 * {@code submissions.max-batch}) as soon as it returns. A lone submission is written at once. Without
 * this, a tenant's submissions queued on its counter row one commit (one WAL flush) each, so one
 * tenant got at most one submission per commit latency; now a commit stores everything that arrived
 * during the previous one. Each submission is answered only after the commit that stores it, on its
 * own request's context. What must follow the commit of a stored submission (its outbox row's send) is
 * run right after the commit, here, not by whoever waits for the answer: a client gone meanwhile cancels
 * its request's wait, and its row's send would go with it (the row then waited out the relay's grace).
 * Each statement also marks sent the rows Kafka acknowledged since the one before
 * ({@link AfterCommitSender#takeMarks()}), so that those marks cost no commit of their own.
 *
 * <p>A statement fails as a whole: if one of its submissions broke an Idempotency-Key's uniqueness
 * (a key sent twice at once, or already stored by another statement), its submissions are written
 * again: those without a key, which cannot break it, together in one statement, and each keyed one
 * alone, so only the duplicate fails with the unique violation (and is answered as a replay of the
 * key's job, as without batching); any other failure fails all of them. One statement each for all
 * of them made a commit per submission, queued on the tenant's row, the next statement behind them.
 */
@ApplicationScoped
public class SubmissionBatcher {

    /** Submissions per statement: its count is the statements, its sum the submissions (benchmarks read it). */
    public static final String BATCH_SIZE_METRIC = "stipple.gateway.submissions.batch.size";

    private final SubmissionRepository repository;
    private final AfterCommitSender sender;
    private final int maxBatch;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final DistributionSummary batchSizes;

    public SubmissionBatcher(SubmissionRepository repository, AfterCommitSender sender, GatewayConfig config,
            MeterRegistry registry) {
        this.repository = repository;
        this.sender = sender;
        this.maxBatch = config.submissions().maxBatch();
        this.batchSizes = DistributionSummary.builder(BATCH_SIZE_METRIC)
                .description("Submissions written by one statement (and one commit)")
                .register(registry);
    }

    /**
     * Stores the submission if its tenant has a slot free; durable when the returned stage completes.
     *
     * @param committed given its outbox row's id right after the commit that stored it, whether the returned
     *                  stage is still awaited or not (not run if nothing was stored)
     * @return the id of its outbox row if stored, null if the tenant was at its limit (then nothing was stored)
     */
    public Uni<Long> store(NewSubmission submission, LongConsumer committed) {
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Waiting(submission, committed, Vertx.currentContext(), emitter));
            writeIfIdle();
        });
    }

    /** Starts the next statement unless one is in flight; whoever sets the flag takes the queue. */
    private void writeIfIdle() {
        if (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            List<Waiting> batch = new ArrayList<>(Math.min(maxBatch, 16));
            Waiting next;
            while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            write(batch);
        }
    }

    private void write(List<Waiting> batch) {
        batchSizes.record(batch.size());
        List<Long> marks = sender.takeMarks();
        repository.insertWhereSlotsFree(batch.stream().map(Waiting::submission).toList(), marks).subscribe().with(
                stored -> {
                    // The next statement goes out before these answers are written.
                    written();
                    sender.marked(marks);
                    batch.forEach(w -> w.answer(stored));
                },
                failure -> {
                    sender.notMarked(marks);
                    written();
                    if (batch.size() > 1 && UniqueViolations.is(failure)) {
                        writeApart(batch);
                    } else {
                        batch.forEach(w -> w.fail(failure));
                    }
                });
    }

    private void written() {
        writing.set(false);
        writeIfIdle();
    }

    /** Writes a failed statement's submissions again, apart from the keyed ones, which may break a key's uniqueness. */
    private void writeApart(List<Waiting> batch) {
        Map<Boolean, List<Waiting>> byKeyed = batch.stream()
                .collect(Collectors.partitioningBy(w -> w.submission().job().idempotencyKey() != null));
        if (!byKeyed.get(false).isEmpty()) {
            writeAgain(byKeyed.get(false));
        }
        byKeyed.get(true).forEach(w -> writeAgain(List.of(w)));
    }

    // Not in the batch-size metric: its sum stays the submissions written, each counted once.
    private void writeAgain(List<Waiting> submissions) {
        repository.insertWhereSlotsFree(submissions.stream().map(Waiting::submission).toList(), List.of()).subscribe().with(
                stored -> submissions.forEach(w -> w.answer(stored)),
                failure -> submissions.forEach(w -> w.fail(failure)));
    }

    /**
     * A submission, what follows its commit, and where to answer it: its request's Vert.x context (null off Vert.x
     * threads).
     */
    private record Waiting(NewSubmission submission, LongConsumer committed, Context context,
            UniEmitter<? super Long> emitter) {

        void answer(Map<UUID, Long> stored) {
            Long outboxId = stored.get(submission.job().id());
            // On the request's context, as the answer; run there even if nobody waits for the answer any more.
            onContext(() -> {
                if (outboxId != null) {
                    committed.accept(outboxId);
                }
                emitter.complete(outboxId);
            });
        }

        void fail(Throwable failure) {
            onContext(() -> emitter.fail(failure));
        }

        private void onContext(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
