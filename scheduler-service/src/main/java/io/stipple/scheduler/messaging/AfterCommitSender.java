package io.stipple.scheduler.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.GatheredWrites;
import io.stipple.scheduler.repository.OutboxRepository;
import io.stipple.scheduler.repository.OutboxRepository.WrittenRow;
import io.stipple.scheduler.service.OwnContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the outbox rows a transaction wrote right after its commit, instead of leaving them to a relay round,
 * whose claim (a transaction of its own) came before every send: ~10 ms on each hop of a job. The rows
 * Kafka acknowledged are deleted together, one statement at a time ({@link GatheredWrites}), on a context of
 * their own.
 *
 * <p>One job's messages leave in commit order. A job's rows go at once if its job had no row in the outbox
 * when they were written (checked in the writing transaction, which holds the job's row:
 * {@link OutboxRepository#insertAll}); if the newest earlier row is being sent in this process, right after that
 * send is acknowledged (all rows before it were acknowledged before it started); otherwise they are the
 * relay's, which sends them once the earlier rows are gone. A failed send leaves its row, and the job's rows
 * after it, to the relay too, and so does a crash or a shutdown before the acknowledgement.
 */
@ApplicationScoped
public class AfterCommitSender {

    private static final Logger LOG = Logger.getLogger(AfterCommitSender.class);

    private final InFlightSends sends;
    private final OutboxRepository outbox;
    private final OwnContext context;
    private final GatheredWrites<Long> deletes = new GatheredWrites<>(this::deleteSent);

    public AfterCommitSender(InFlightSends sends, OutboxRepository outbox, OwnContext context) {
        this.sends = sends;
        this.outbox = outbox;
        this.context = context;
    }

    /**
     * Sends the committed rows as above and returns at once; {@code forRelay} runs when some of them are left
     * to the relay (now, or when a send failed).
     */
    public void send(List<WrittenRow> committed, Runnable forRelay) {
        Map<UUID, List<WrittenRow>> byJob = new LinkedHashMap<>();
        committed.forEach(row -> byJob.computeIfAbsent(row.row().jobId, job -> new ArrayList<>()).add(row));
        boolean left = false;
        for (List<WrittenRow> rows : byJob.values()) {
            Long follows = rows.get(0).followsId();
            Uni<Void> earlier = follows == null ? Uni.createFrom().voidItem() : sends.running(follows);
            if (earlier == null) {
                left = true;
            } else {
                earlier.chain(() -> inOrder(rows)).subscribe().with(done -> { }, failure -> {
                    LOG.debugf("outbox rows of job %s not sent after their commit, left to the relay: %s",
                            rows.get(0).row().jobId, failure);
                    forRelay.run();
                });
            }
        }
        if (left) {
            forRelay.run();
        }
    }

    /** One job's rows, each after the one before was acknowledged; stops at the first failure. */
    private Uni<Void> inOrder(List<WrittenRow> rows) {
        return Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(row -> sends.send(row.row()).invoke(() -> deletes.add(row.row().id)))
                .collect().last()
                .replaceWithVoid();
    }

    /** One delete at a time, of every row acknowledged while the one before ran, on a context of its own. */
    private Uni<Void> deleteSent(List<Long> ids) {
        return context.run(() -> Panache.withTransaction(() -> outbox.deleteSent(ids)).invoke(() -> sends.deleted(ids)))
                // Sent, not deleted: their sends stay here, so a relay round joins them (no copy) and deletes the rows.
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("outbox rows sent but not deleted, left to the relay: %s", failure);
                    return null;
                });
    }
}
