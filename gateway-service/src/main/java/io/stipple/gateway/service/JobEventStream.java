package io.stipple.gateway.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewEvent;
import io.stipple.gateway.repository.JobViewRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows a job's event log from a position: emits what is there, then reads again as soon as an event
 * of the job commits ({@link JobWakeups}), or after {@code stipple.gateway.event-streams.safety-poll} if
 * none does, and completes after the terminal event (succeeded, failed, canceled). Resuming with the id
 * of the last event seen (SSE {@code Last-Event-ID}) continues exactly after it. The terminal event comes with the
 * job as read by the same statement, under the job's tenant ({@link JobViewEvent#job}).
 */
@ApplicationScoped
public class JobEventStream {

    /** The event types a stream ends with, which carry the job ({@link JobViewEvent#job}). */
    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");
    private static final int BATCH = 200;

    private final JobViewRepository views;
    private final JobWakeups wakeups;
    private final Duration safetyPoll;

    public JobEventStream(JobViewRepository views, JobWakeups wakeups, GatewayConfig config) {
        this.views = views;
        this.wakeups = wakeups;
        this.safetyPoll = config.eventStreams().safetyPoll();
    }

    public Multi<JobViewEvent> follow(JobRow job, long afterId) {
        boolean alreadyFinished = job.status() != null && isTerminal(job.status());
        AtomicLong cursor = new AtomicLong(afterId);
        AtomicLong round = new AtomicLong();
        return Multi.createFrom().resource(() -> wakeups.watch(job.id()), wakeup -> Multi.createBy().repeating()
                        .uni(() -> pause(wakeup, round.getAndIncrement() == 0, cursor.get())
                                .invoke(wakeup::arm)
                                .chain(() -> views.eventsAfter(job.id(), cursor.get(), BATCH, job.tenantId(), TERMINAL))
                                .invoke(events -> {
                                    if (!events.isEmpty()) {
                                        cursor.set(events.get(events.size() - 1).id());
                                    }
                                }))
                        .whilst(events -> !(endsTheStream(events) || (alreadyFinished && events.isEmpty()))))
                .withFinalizer(JobWakeup::close)
                .onItem().disjoint();
    }

    /** Whether an event of this type (or a job in this status) ends the stream: succeeded, failed, canceled. */
    public static boolean isTerminal(String type) {
        return TERMINAL.contains(type);
    }

    /** Nothing before the first read; before every later one, the next event's commit or the safety poll. */
    private Uni<Void> pause(JobWakeup wakeup, boolean first, long readUpTo) {
        return first ? Uni.createFrom().voidItem() : wakeup.await(readUpTo, safetyPoll);
    }

    private static boolean endsTheStream(List<JobViewEvent> events) {
        return events.stream().anyMatch(e -> isTerminal(e.type()));
    }
}
