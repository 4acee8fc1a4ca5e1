package io.stipple.gateway.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewEvent;
import io.stipple.gateway.repository.JobViewRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows a job's event log from a position: emits what is there, then polls for more, and
 * completes after the terminal event (succeeded, failed, canceled). Resuming with the id of the
 * last event seen (SSE {@code Last-Event-ID}) continues exactly after it.
 */
@ApplicationScoped
public class JobEventStream {

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int BATCH = 200;

    private final JobViewRepository views;

    public JobEventStream(JobViewRepository views) {
        this.views = views;
    }

    public Multi<JobViewEvent> follow(JobRow job, long afterId) {
        boolean alreadyFinished = job.status() != null && TERMINAL.contains(job.status());
        AtomicLong cursor = new AtomicLong(afterId);
        AtomicLong round = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> pause(round.getAndIncrement() == 0)
                        .chain(() -> views.eventsAfter(job.id(), cursor.get(), BATCH))
                        .invoke(events -> {
                            if (!events.isEmpty()) {
                                cursor.set(events.get(events.size() - 1).id());
                            }
                        }))
                .whilst(events -> !(endsTheStream(events) || (alreadyFinished && events.isEmpty())))
                .onItem().disjoint();
    }

    /** Nothing before the first read, {@link #POLL} before every later one. */
    private static Uni<Void> pause(boolean first) {
        return first ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(POLL);
    }

    private static boolean endsTheStream(List<JobViewEvent> events) {
        return events.stream().anyMatch(e -> TERMINAL.contains(e.type()));
    }
}
