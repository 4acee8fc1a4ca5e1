package io.stipple.scheduler.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.CoalescedRuns;
import io.stipple.consumer.KeyedSends;
import io.stipple.consumer.OutageLog;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.repository.OutboxMessageEntity;
import io.stipple.scheduler.repository.OutboxRepository;
import io.stipple.scheduler.service.OwnContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sends the outbox to Kafka. A round claims the oldest rows (see {@link OutboxRepository#claim}), sends
 * them (one job's rows one after the other, each after the previous was acknowledged; jobs in parallel:
 * {@link KeyedSends}), deletes the acknowledged rows and commits. What Kafka did not take stays for the
 * next round: delivery is at-least-once, and consumers drop copies by (job, attempt, sequence).
 *
 * <p>Most rows never wait for a round: their writer sends them right after its commit ({@link #after},
 * {@link AfterCommitSender}). A round runs when rows are left to it ({@link #nudge()}: they follow an earlier
 * row of their job that is not being sent here, or a send failed), and on a timer as the safety net (the
 * broker was away, a crash before a row was sent, rows another replica left); the timed round leaves rows
 * younger than {@code scheduler.publishing.direct-send-grace} alone, which their writer (maybe another
 * replica) is probably sending. One round at a time in this process ({@link CoalescedRuns}), on a Vert.x
 * context of its own: its database session must not be the one of the consumer or dispatch that nudged it.
 *
 * <p>A send that the round stopped waiting for ({@code scheduler.publishing.send-timeout}) is not sent
 * again while the producer still has it: the next round waits for that same send, so an outage longer than
 * the timeout does not end in one copy per round arriving at once when the broker returns. A round that claims
 * a row its writer is sending joins that send the same way ({@link InFlightSends}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final InFlightSends sends;
    private final AfterCommitSender sender;
    private final OwnContext context;
    private final Clock clock;
    private final Duration sendTimeout;
    private final Duration directSendGrace;
    private final int batchSize;
    /** Set by a nudge, taken by the next round: it claims the youngest rows too (see the class comment). */
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final CoalescedRuns runs = new CoalescedRuns(this::roundsWhileFull);
    private final OutageLog outage = new OutageLog(LOG, "publishing the outbox to Kafka");

    public OutboxRelay(OutboxRepository outbox, InFlightSends sends, AfterCommitSender sender, OwnContext context,
            Clock clock, SchedulerConfig config) {
        this.outbox = outbox;
        this.sends = sends;
        this.sender = sender;
        this.context = context;
        this.clock = clock;
        this.sendTimeout = config.publishing().sendTimeout();
        this.directSendGrace = config.publishing().directSendGrace();
        this.batchSize = config.publishing().relayBatchSize();
    }

    /** The safety net; completes when the rounds it ran (or joined) are done, never fails. */
    @Scheduled(every = "${scheduler.publishing.relay-period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-relay")
    public Uni<Void> poll() {
        return runs.request();
    }

    /**
     * Sends the rows the committed change wrote, or leaves them to a round started now (see the class
     * comment); returns at once.
     */
    public void after(Publication committed) {
        if (committed.written().isEmpty()) {
            if (!committed.isEmpty()) {
                nudge();
            }
            return;
        }
        sender.send(committed.written(), this::nudge);
    }

    /** Starts a round now, which claims the youngest rows too; returns at once. */
    public void nudge() {
        nudged.set(true);
        context.start(runs::request, failure -> LOG.debugf(failure, "outbox round failed; the rows stay for the next round"));
    }

    private Uni<Void> roundsWhileFull() {
        return Panache.withTransaction(this::round)
                .invoke(this::committed)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .chain(round -> round != null && round.claimed() >= batchSize && round.sent().complete()
                        ? roundsWhileFull()
                        : Uni.createFrom().voidItem());
    }

    /** What one round claimed and how its sends went. */
    private record Round(int claimed, KeyedSends.Result<OutboxMessageEntity> sent) {
    }

    /**
     * One round in the caller's transaction: the acknowledged rows are deleted, the others stay. The
     * sends complete on the producer's threads; the round resumes on its own context, whose thread the
     * database session belongs to.
     */
    private Uni<Round> round() {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Instant now = clock.instant();
        Instant writtenBefore = nudged.getAndSet(false) ? now : now.minus(directSendGrace);
        return outbox.claim(batchSize, writtenBefore).chain(rows -> KeyedSends.send(rows, row -> row.jobId, this::send)
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .chain(result -> outbox.deleteSent(result.sent().stream().map(row -> row.id).toList())
                        .replaceWith(new Round(rows.size(), result))));
    }

    /** After the commit: the deleted rows' sends are done with; an unsent row is an outage (logged once). */
    private void committed(Round round) {
        sends.deleted(round.sent().sent().stream().map(row -> row.id).toList());
        if (round.sent().complete()) {
            outage.succeeded();
        } else {
            outage.failed(new IllegalStateException(round.sent().unsent() + " of " + round.claimed()
                    + " outbox rows not sent: " + round.sent().firstFailure(), round.sent().firstFailure()));
        }
    }

    /**
     * The row's send, started now or earlier (then the same one, maybe its writer's); the round waits for it at
     * most the send timeout. A failed send is forgotten, so the next round sends the row again.
     */
    private Uni<Void> send(OutboxMessageEntity row) {
        return sends.send(row).ifNoItem().after(sendTimeout).failWith(() -> new SendTimeoutException(row, sendTimeout));
    }
}
