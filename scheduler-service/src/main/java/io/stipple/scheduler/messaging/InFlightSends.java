package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.scheduler.repository.OutboxMessageEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One send per outbox row in this process, whoever asks for it: the writer right after its commit
 * ({@link AfterCommitSender}) or a relay round ({@link OutboxRelay}), which joins a send that is running (or
 * acknowledged) instead of starting another. A send stays here from its start until its row is deleted; a
 * failed one is forgotten, so the row is sent again by whoever asks next.
 */
@ApplicationScoped
public class InFlightSends {

    private final MessagePublisher publisher;
    private final Map<Long, Uni<Void>> sends = new ConcurrentHashMap<>();

    public InFlightSends(MessagePublisher publisher) {
        this.publisher = publisher;
    }

    /** The row's send, started now or earlier (then the same one); completes when Kafka acknowledged it. */
    Uni<Void> send(OutboxMessageEntity row) {
        return sends.computeIfAbsent(row.id, id -> {
            Uni<Void> started = publisher.send(row).memoize().indefinitely();
            started.subscribe().with(done -> { }, failure -> sends.remove(id));
            return started;
        });
    }

    /** The send of a row if one is running or acknowledged here (its row not yet deleted), else null. */
    Uni<Void> running(long id) {
        return sends.get(id);
    }

    /** The rows are deleted: their sends are done with. */
    void deleted(List<Long> ids) {
        ids.forEach(sends::remove);
    }
}
