package io.stipple.worker.service;

import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.event.Progress;
import io.stipple.worker.messaging.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * Emits the events of a held job, numbering them per attempt: sequence allocation and send
 * happen under the job's lock, so the runner thread and the heartbeat thread never reorder them.
 */
@ApplicationScoped
public class JobReporter {

    private final EventPublisher publisher;
    private final WorkerIdentity worker;
    private final Clock clock = Clock.systemUTC();

    JobReporter(EventPublisher publisher, WorkerIdentity worker) {
        this.publisher = publisher;
        this.worker = worker;
    }

    public void running(HeldJob job) {
        emit(job, false, seq -> new JobRunning(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(), worker.id()));
    }

    public void progress(HeldJob job, Progress progress) {
        emit(job, false, seq -> new JobProgress(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(),
                worker.id(), progress));
    }

    public void heartbeat(HeldJob job) {
        emit(job, false, seq -> new JobHeartbeat(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(), worker.id()));
    }

    public void succeeded(HeldJob job, List<JobOutput> outputs, Map<String, Double> metrics) {
        emit(job, true, seq -> new JobSucceeded(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(),
                worker.id(), outputs, null, metrics));
    }

    public void failed(HeldJob job, String reason, boolean retryable) {
        emit(job, true, seq -> new JobFailed(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(),
                worker.id(), reason, retryable));
    }

    public void canceled(HeldJob job) {
        emit(job, true, seq -> new JobCanceled(SchemaVersion.CURRENT, id(job), tenant(job), attempt(job), seq, now(),
                worker.id(), job.cancelReason()));
    }

    private void emit(HeldJob job, boolean terminal, LongFunction<JobEvent> event) {
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            publisher.publish(event.apply(job.nextSequence(System.nanoTime())));
            if (terminal) {
                job.finish();
            }
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static UUID id(HeldJob job) {
        return job.item().jobId();
    }

    private static String tenant(HeldJob job) {
        return job.item().tenantId();
    }

    private static int attempt(HeldJob job) {
        return job.item().attempt();
    }

}
