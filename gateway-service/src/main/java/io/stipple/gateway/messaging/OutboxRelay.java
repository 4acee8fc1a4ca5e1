package io.stipple.gateway.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.CoalescedRuns;
import io.stipple.consumer.OutageLog;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.OutboxRepository;
import io.stipple.gateway.repository.OutboxRow;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Moves outbox rows to Kafka. Each round claims a batch in a transaction, publishes every row and
 * waits for Kafka's acknowledgements, marks the acknowledged rows sent and commits. When Kafka is
 * down the publishes fail, the rows stay unsent and the next round tries again: delivery is
 * at-least-once, consumers deduplicate by (job id, attempt, sequence).
 *
 * <p>Most rows never come here: their writer sends them right after its commit ({@link AfterCommitSender}).
 * The relay is the safety net for the rest (a failed or unfinished direct send, a row that follows another
 * of its job). Rounds run on a timer and when such a row becomes sendable ({@link #nudge()}). One drain runs at a time in this
 * process ({@link CoalescedRuns}); while a backlog lasts it overlaps up to {@code outbox.rounds-in-flight} rounds
 * ({@link OverlappingRounds}: the next round claims while this one publishes), and rounds of several replicas
 * share the rows the same way (see {@link OutboxRepository#claimBatch}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final JobRequestPublisher publisher;
    private final int batchSize;
    private final Duration directSendGrace;
    private final InFlightRows inFlight;
    private final OverlappingRounds rounds;
    private final CoalescedRuns runs;
    /** Kafka or the database away: one WARN when it starts, one line when a round succeeds again. */
    private final OutageLog outage = new OutageLog(LOG, "publishing the outbox to Kafka");
    private final Counter published;
    private final Counter failed;

    public OutboxRelay(OutboxRepository outbox, JobRequestPublisher publisher, InFlightRows inFlight,
            GatewayConfig config, MeterRegistry registry) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.batchSize = config.outbox().batchSize();
        this.directSendGrace = config.outbox().directSendGrace();
        this.rounds = new OverlappingRounds(config.outbox().roundsInFlight(), this::round);
        this.runs = new CoalescedRuns(rounds::run);
        this.published = registry.counter("stipple.gateway.outbox.published", "path", "relay");
        this.failed = registry.counter("stipple.gateway.outbox.publish.failures", "path", "relay");
    }

    @Scheduled(every = "${stipple.gateway.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return drain();
    }

    /** Whether the last round failed to publish (an outage of Kafka or the database not over yet). */
    public boolean failing() {
        return outage.ongoing();
    }

    /** Asks for a round now (a row left to the relay may be sendable); cheap and non-blocking. */
    public void nudge() {
        drain().subscribe().with(ignored -> {
        }, e -> LOG.warn("outbox relay round failed", e));
    }

    /**
     * Runs rounds until every round finds less than a full batch; if rounds are running already, they run
     * once more instead. The request is recorded before the try, so a round in progress that claimed
     * its rows before the caller's commit cannot end without seeing it: asked the other way round (try,
     * then leave a note), a note left just after the running round's last look waited for the timer, a
     * second of a lone job's latency.
     */
    Uni<Void> drain() {
        return runs.request();
    }

    /**
     * One round: claims up to a batch, publishes it, marks what Kafka acknowledged and commits. Calls
     * {@code claimedFull} once a full batch is claimed, so another round can claim meanwhile. Its item says
     * whether more rounds are due (a full batch, all published); a failure is logged as an outage, not passed on.
     */
    private Uni<Boolean> round(Runnable claimedFull) {
        return outbox.pool().withTransaction(conn -> outbox.claimBatch(conn, batchSize, directSendGrace, inFlight.ids())
                .chain(rows -> {
            if (rows.isEmpty()) {
                outage.succeeded();
                return Uni.createFrom().item(false);
            }
            if (rows.size() >= batchSize) {
                claimedFull.run();
            }
            return publishAll(rows).chain(sent -> {
                List<Long> sentIds = sent.stream().filter(Result::ok).map(Result::id).toList();
                List<Long> failedIds = sent.stream().filter(r -> !r.ok()).map(Result::id).toList();
                published.increment(sentIds.size());
                failed.increment(failedIds.size());
                String error = sent.stream().filter(r -> !r.ok()).map(Result::error).findFirst().orElse(null);
                if (failedIds.isEmpty()) {
                    outage.succeeded();
                } else {
                    outage.failed(new IllegalStateException(
                            failedIds.size() + " of " + rows.size() + " outbox rows not published: " + error));
                }
                return outbox.markSent(conn, sentIds)
                        .chain(() -> outbox.markFailed(conn, failedIds, error))
                        .replaceWith(failedIds.isEmpty() && rows.size() >= batchSize);
            });
        })).onFailure().invoke(outage::failed)
                .onFailure().recoverWithItem(false);
    }

    /** Publishes rows concurrently: each is the oldest unsent row of its job, so their order does not matter. */
    private Uni<List<Result>> publishAll(List<OutboxRow> rows) {
        List<Uni<Result>> sends = rows.stream()
                .map(row -> publisher.publish(row)
                        .replaceWith(new Result(row.id(), null))
                        .onFailure().recoverWithItem(e -> new Result(row.id(), String.valueOf(e.getMessage()))))
                .toList();
        return Uni.join().all(sends).andFailFast();
    }

    private record Result(long id, String error) {
        boolean ok() {
            return error == null;
        }
    }
}
