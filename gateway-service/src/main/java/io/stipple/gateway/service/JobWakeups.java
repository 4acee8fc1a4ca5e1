package io.stipple.gateway.service;

import io.stipple.gateway.repository.JobEventListener;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the event streams of a job when an event of it commits, in this replica or another
 * ({@link JobEventListener}): a client following a job sees each event as soon as it is stored, where
 * the streams used to find it at their next poll of the database, half a second later on average. The status
 * projection of this replica also wakes them itself right after its commit ({@link #committed}), without waiting
 * for the notification to come back from PostgreSQL; the notification still comes, and wakes no stream that has
 * read the event already ({@link JobWakeup}).
 */
@ApplicationScoped
public class JobWakeups {

    private final Map<UUID, Set<JobWakeup>> watching = new ConcurrentHashMap<>();
    private final JobEventListener listener;

    public JobWakeups(JobEventListener listener) {
        this.listener = listener;
    }

    /** A wake-up for one stream of the job; close it when the stream ends. */
    public JobWakeup watch(UUID jobId) {
        listener.start(this::wake, this::wakeAll);
        JobWakeup wakeup = new JobWakeup(closed -> forget(jobId, closed));
        watching.compute(jobId, (id, set) -> {
            Set<JobWakeup> wakeups = set != null ? set : ConcurrentHashMap.newKeySet();
            wakeups.add(wakeup);
            return wakeups;
        });
        return wakeup;
    }

    /** An event of the job, with this id, has committed in this replica. */
    void committed(UUID jobId, long eventId) {
        wake(jobId, eventId);
    }

    private void wake(UUID jobId, long eventId) {
        Set<JobWakeup> wakeups = watching.get(jobId);
        if (wakeups != null) {
            wakeups.forEach(wakeup -> wakeup.wake(eventId));
        }
    }

    /** The listener (re)subscribed: what it missed meanwhile is unknown, so every stream looks again. */
    private void wakeAll() {
        watching.values().forEach(wakeups -> wakeups.forEach(wakeup -> wakeup.wake(JobEventListener.UNKNOWN_EVENT)));
    }

    private void forget(UUID jobId, JobWakeup wakeup) {
        watching.computeIfPresent(jobId, (id, wakeups) -> {
            wakeups.remove(wakeup);
            return wakeups.isEmpty() ? null : wakeups;
        });
    }
}
