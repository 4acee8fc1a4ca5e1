package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.status.JobState;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.messaging.AfterCommitSender;
import io.stipple.gateway.repository.JobRepository;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewRepository;
import io.stipple.gateway.repository.OutboxRepository;
import io.stipple.gateway.repository.OutboxRepository.WrittenRow;
import io.stipple.gateway.service.rejection.JobFinishedException;
import io.stipple.gateway.service.rejection.ResourceNotFoundException;
import io.stipple.tracing.TraceParent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Records a client's cancel request and hands it to the scheduler through the outbox; the
 * scheduler decides what it means for the job (queued: canceled at once; running: the worker is told).
 * Asking again while a request is pending changes nothing; a finished job cannot be canceled (409).
 */
@ApplicationScoped
public class CancelService {

    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "canceled");

    private final Pool pool;
    private final JobRepository jobs;
    private final JobViewRepository views;
    private final OutboxRepository outbox;
    private final AfterCommitSender sender;
    private final JobEventMapper events;
    private final Clock clock;

    public CancelService(Pool pool, JobRepository jobs, JobViewRepository views, OutboxRepository outbox,
            AfterCommitSender sender, JobEventMapper events, Clock clock) {
        this.pool = pool;
        this.jobs = jobs;
        this.views = views;
        this.outbox = outbox;
        this.sender = sender;
        this.events = events;
        this.clock = clock;
    }

    public Uni<JobRow> cancel(String tenantId, UUID id) {
        String traceParent = TraceParent.current();
        // The outbox row this transaction wrote (none if the job had a cancel request already), sent after the commit.
        AtomicReference<WrittenRow> written = new AtomicReference<>();
        return pool.withTransaction(conn -> jobs.findForUpdate(conn, tenantId, id).chain(job -> {
            if (job == null) {
                return Uni.createFrom().failure(new ResourceNotFoundException("job " + id));
            }
            if (job.status() != null && FINISHED.contains(job.status())) {
                return Uni.createFrom().failure(new JobFinishedException(
                        "job " + id + " already " + job.status() + "; only unfinished jobs can be canceled"));
            }
            if (job.cancelRequestedAt() != null) {
                return Uni.createFrom().item(job);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            return jobs.markCancelRequested(conn, id, now)
                    .chain(sequence -> outbox.insert(conn, id, Topics.JOB_REQUESTS, new String(ContractsJson.write(
                            CancelRequested.of(id, tenantId, sequence, now, "requested by the client")), UTF_8), traceParent))
                    .invoke(written::set)
                    .chain(() -> views.appendEvent(conn, id, "cancel_requested", events.simple("cancel_requested",
                            WireNames.parse(JobState.class, job.status() == null ? "submitted" : job.status()),
                            job.attempt() == null ? 0 : job.attempt(),
                            "cancel requested by the client", now), now))
                    .chain(() -> jobs.find(conn, tenantId, id));
        })).invoke(() -> {
            if (written.get() != null) {
                sender.send(written.get());
            }
        });
    }
}
