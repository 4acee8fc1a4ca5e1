package io.stipple.gateway.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.GatheredWrites;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.OutboxRepository;
import io.stipple.gateway.repository.OutboxRepository.WrittenRow;
import io.stipple.gateway.repository.OutboxRow;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Sends the outbox rows a transaction wrote right after its commit, instead of leaving them to a relay round
 * (whose claim, a transaction of its own, came before every send: ~10 ms on each hop of a job). The writer knows
 * its rows; once Kafka acknowledged one it is marked sent, by the next submission statement, which marks every
 * row acknowledged until it starts ({@link #takeMarks()}; its commit, not one of their own), or, when none starts
 * within {@code outbox.mark-linger}, by one statement of their own ({@link GatheredWrites}). Marked by statements
 * of their own as they came, the marks were as many commits as the submission statements' (docs/benchmarks.md
 * section 4, helper session gwmarks).
 *
 * <p>Only a row that follows none of its job goes this way (checked in the writing transaction, which holds the
 * job's row: {@link OutboxRepository#insert}); a row written while an earlier one of its job was unsent is the
 * relay's, which sends it once that one is sent. Whatever this does not finish is the relay's too: a failed
 * send (the row is marked failed, and a round claims it at once), a crash between commit and send, or a
 * shutdown (a round claims the row once {@code outbox.direct-send-grace} has passed, in any replica).
 * While a row is in flight here the relay's rounds in this process skip it ({@link InFlightRows}).
 */
@ApplicationScoped
public class AfterCommitSender {

    private static final Logger LOG = Logger.getLogger(AfterCommitSender.class);

    private final OutboxRepository outbox;
    private final JobRequestPublisher publisher;
    private final InFlightRows inFlight;
    private final OutboxRelay relay;
    private final GatheredWrites<Long> marks;
    private final Counter published;
    private final Counter failed;

    public AfterCommitSender(OutboxRepository outbox, JobRequestPublisher publisher, InFlightRows inFlight,
            OutboxRelay relay, GatewayConfig config, MeterRegistry registry) {
        this.outbox = outbox;
        this.marks = GatheredWrites.lingering(this::markSent, config.outbox().markLinger());
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.relay = relay;
        this.published = registry.counter("stipple.gateway.outbox.published", "path", "writer");
        this.failed = registry.counter("stipple.gateway.outbox.publish.failures", "path", "writer");
    }

    /** Sends a committed row that follows none of its job (a submission's); returns at once. */
    public void send(OutboxRow row) {
        inFlight.add(row.id());
        publisher.publish(row).subscribe().with(ignored -> {
            marks.add(row.id());
            published.increment();
        }, failure -> {
            failed.increment();
            LOG.debugf("outbox row %d not sent right after its commit, left to the relay: %s", row.id(), failure);
            outbox.markFailed(outbox.pool(), List.of(row.id()), String.valueOf(failure.getMessage()))
                    .subscribe().with(ignored -> inFlight.done(row.id()), e -> inFlight.done(row.id()));
        });
    }

    /**
     * Sends a committed row if it follows none of its job; otherwise the relay sends it once the row it follows
     * is sent: a round starts when that one is marked sent here, or now if it is not in flight here.
     */
    public void send(WrittenRow written) {
        if (written.followsId() == null) {
            send(written.row());
        } else if (!inFlight.whenDone(written.followsId(), relay::nudge)) {
            relay.nudge();
        }
    }

    /**
     * The rows acknowledged and not marked yet, for a statement that marks them with its own commit; it hands them
     * back to {@link #marked} once committed, or to {@link #notMarked} if it failed.
     */
    public List<Long> takeMarks() {
        return marks.takeAll();
    }

    /** The rows a committed statement marked sent: they are the relay's again, and whatever waited for them runs. */
    public void marked(List<Long> ids) {
        ids.forEach(inFlight::done);
    }

    /** The rows a failed statement did not mark: the next one marks them, or one of their own. */
    public void notMarked(List<Long> ids) {
        ids.forEach(marks::add);
    }

    /** One mark statement at a time, of every row acknowledged while the one before ran or gathered. */
    private Uni<Void> markSent(List<Long> ids) {
        return outbox.markSent(outbox.pool(), ids).replaceWithVoid()
                // Sent but not marked: the relay sends them again after the grace (a copy, which consumers drop).
                .onFailure().invoke(failure -> LOG.debugf("outbox rows sent but not marked, left to the relay: %s", failure))
                .onItemOrFailure().invoke((ignored, failure) -> marked(ids));
    }
}
