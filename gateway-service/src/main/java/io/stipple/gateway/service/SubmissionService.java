package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.contracts.status.JobState;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.messaging.AfterCommitSender;
import io.stipple.gateway.repository.ActiveJobSlots;
import io.stipple.gateway.repository.JobRepository;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.NewJob;
import io.stipple.gateway.repository.OutboxRow;
import io.stipple.gateway.repository.SubmissionBatcher;
import io.stipple.gateway.repository.SubmissionRepository;
import io.stipple.gateway.repository.UniqueViolations;
import io.stipple.gateway.service.rejection.IdempotencyKeyReusedException;
import io.stipple.gateway.service.rejection.RateLimitedException;
import io.stipple.tracing.TraceParent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Accepts jobs: stores the job request, its first event and the {@code JobSubmitted} outbox row and
 * takes one of the tenant's active-job slots ({@link ActiveJobSlots}) in one statement
 * ({@link SubmissionRepository}); a tenant at its limit gets a 429 and nothing is stored. A request
 * with an Idempotency-Key is first looked up by its key and answered as a replay if the key is known.
 * Submissions of one tenant wait for each other only while the statement holds the tenant's row.
 */
@ApplicationScoped
public class SubmissionService {

    private static final Logger LOG = Logger.getLogger(SubmissionService.class);

    /** A tenant at its concurrency limit is told to come back after this long; jobs take seconds to minutes. */
    static final long ACTIVE_LIMIT_RETRY_AFTER_SECONDS = 10;

    private final Pool pool;
    private final ActiveJobSlots slots;
    private final JobRepository jobs;
    private final SubmissionBatcher submissions;
    private final AfterCommitSender sender;
    private final JobEventMapper events;
    private final GatewayConfig config;
    private final Clock clock;

    public SubmissionService(Pool pool, ActiveJobSlots slots, JobRepository jobs, SubmissionBatcher submissions,
            AfterCommitSender sender, JobEventMapper events, GatewayConfig config, Clock clock) {
        this.pool = pool;
        this.slots = slots;
        this.jobs = jobs;
        this.submissions = submissions;
        this.sender = sender;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param idempotencyKey the client's Idempotency-Key, or null
     * @param requestHash    hash of the request body as sent (before defaults), compared on a key replay;
     *                       null without a key
     */
    public Uni<Submission> submit(String tenantId, Integer tenantLimit, JobSpec spec, String idempotencyKey,
            byte[] requestHash) {
        // Taken here, on the request's context: the row is sent after the commit, maybe by the relay.
        String traceParent = TraceParent.current();
        Uni<Submission> submission = idempotencyKey == null
                ? create(tenantId, tenantLimit, spec, null, null, traceParent)
                : jobs.findByIdempotencyKey(pool, tenantId, idempotencyKey)
                        .chain(existing -> existing != null
                                ? replay(tenantId, existing.id(), requestHash)
                                : create(tenantId, tenantLimit, spec, idempotencyKey, requestHash, traceParent))
                        // Two requests with one new key at once: the unique key makes the second insert wait for
                        // the first and fail after its commit; that request is then the first one's replay.
                        .onFailure(UniqueViolations::is)
                        .recoverWithUni(() -> jobs.findByIdempotencyKey(pool, tenantId, idempotencyKey)
                                .chain(existing -> replay(tenantId, existing.id(), requestHash)));
        return submission;
    }

    private Uni<Submission> replay(String tenantId, UUID jobId, byte[] requestHash) {
        return jobs.requestHash(pool, tenantId, jobId).chain(stored -> {
            if (stored == null || !MessageDigest.isEqual(stored, requestHash)) {
                return Uni.createFrom().failure(new IdempotencyKeyReusedException());
            }
            return jobs.find(pool, tenantId, jobId).map(Submission::replayed);
        });
    }

    private Uni<Submission> create(String tenantId, Integer tenantLimit, JobSpec spec, String idempotencyKey,
            byte[] requestHash, String traceParent) {
        int limit = tenantLimit != null ? tenantLimit : config.limits().maxActiveJobs();
        UUID id = UUID.randomUUID();
        // Postgres keeps microseconds; truncating here keeps the message and the row identical.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String kind = WireNames.of(spec.kind());
        // The spec is serialised once, in the message; the job's spec column is taken from it.
        String message = new String(ContractsJson.write(JobSubmitted.of(id, tenantId, now, spec)), UTF_8);
        NewJob job = new NewJob(id, tenantId, kind, idempotencyKey, requestHash, now);
        return submissions.store(new SubmissionRepository.NewSubmission(job, limit,
                        new SubmissionRepository.OutboxMessage(Topics.JOB_REQUESTS, message, traceParent),
                        events.simple("submitted", JobState.SUBMITTED, 0, "accepted", now)),
                        // A job's first row follows none: it goes right after the commit, not with a relay round,
                        // and even if the client is gone by then (its row would wait out the relay's grace).
                        outboxId -> sender.send(new OutboxRow(outboxId, id, Topics.JOB_REQUESTS, message, traceParent)))
                .chain(outboxId -> outboxId != null
                        ? Uni.createFrom().item(() -> {
                            LOG.infof("job %s accepted (%s, tenant %s)", id, kind, tenantId);
                            // What a read would give back: the request, no view yet (status submitted).
                            return Submission.accepted(JobRow.submitted(id, tenantId, kind, now), spec);
                        })
                        : slots.count(pool, tenantId).chain(active -> Uni.createFrom().failure(new RateLimitedException(
                                "this tenant already has " + active + " unfinished jobs (limit " + limit + ")",
                                ACTIVE_LIMIT_RETRY_AFTER_SECONDS))));
    }
}
