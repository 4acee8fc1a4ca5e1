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
import io.stipple.gateway.messaging.OutboxRelay;
import io.stipple.gateway.repository.ActiveJobSlots;
import io.stipple.gateway.repository.JobRepository;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewRepository;
import io.stipple.gateway.repository.NewJob;
import io.stipple.gateway.repository.OutboxRepository;
import io.stipple.gateway.service.rejection.IdempotencyKeyReusedException;
import io.stipple.gateway.service.rejection.RateLimitedException;
import io.stipple.tracing.TraceParent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Accepts jobs: in one transaction, checks the Idempotency-Key, stores the job request, its first
 * event and the {@code JobSubmitted} outbox row, and takes one of the tenant's active-job slots
 * ({@link ActiveJobSlots}); a tenant at its limit gets a 429 and nothing is stored. Submissions of
 * one tenant do not wait for each other except for the slot's increment right before the commit.
 */
@ApplicationScoped
public class SubmissionService {

    private static final Logger LOG = Logger.getLogger(SubmissionService.class);

    /** A tenant at its concurrency limit is told to come back after this long; jobs take seconds to minutes. */
    static final long ACTIVE_LIMIT_RETRY_AFTER_SECONDS = 10;
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final ActiveJobSlots slots;
    private final JobRepository jobs;
    private final JobViewRepository views;
    private final OutboxRepository outbox;
    private final OutboxRelay relay;
    private final JobEventMapper events;
    private final GatewayConfig config;
    private final Clock clock;

    public SubmissionService(Pool pool, ActiveJobSlots slots, JobRepository jobs, JobViewRepository views,
            OutboxRepository outbox, OutboxRelay relay, JobEventMapper events, GatewayConfig config, Clock clock) {
        this.pool = pool;
        this.slots = slots;
        this.jobs = jobs;
        this.views = views;
        this.outbox = outbox;
        this.relay = relay;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param idempotencyKey the client's Idempotency-Key, or null
     * @param requestHash    hash of the request body as sent (before defaults), compared on a key replay
     */
    public Uni<Submission> submit(String tenantId, Integer tenantLimit, JobSpec spec, String idempotencyKey,
            byte[] requestHash) {
        // Taken here, on the request's context: the relay sends the row later, outside this request.
        String traceParent = TraceParent.current();
        return pool.withTransaction(conn -> (idempotencyKey == null
                        ? Uni.createFrom().<JobRow>nullItem()
                        : jobs.findByIdempotencyKey(conn, tenantId, idempotencyKey))
                        .chain(existing -> existing != null
                                ? replay(conn, tenantId, existing.id(), requestHash)
                                : create(conn, tenantId, tenantLimit, spec, idempotencyKey, requestHash, traceParent)))
                // Two requests with one new key at once: the unique key makes the second insert wait for
                // the first and fail after its commit; that request is then the first one's replay.
                .onFailure(e -> idempotencyKey != null && isUniqueViolation(e))
                .recoverWithUni(() -> pool.withTransaction(conn -> jobs.findByIdempotencyKey(conn, tenantId, idempotencyKey)
                        .chain(existing -> replay(conn, tenantId, existing.id(), requestHash))))
                .invoke(submission -> {
                    if (!submission.replayed()) {
                        LOG.infof("job %s accepted (%s, tenant %s)", submission.job().id(), submission.job().kind(), tenantId);
                        relay.nudge();
                    }
                });
    }

    private Uni<Submission> replay(SqlConnection conn, String tenantId, UUID jobId, byte[] requestHash) {
        return jobs.requestHash(conn, tenantId, jobId).chain(stored -> {
            if (!MessageDigest.isEqual(stored, requestHash)) {
                return Uni.createFrom().failure(new IdempotencyKeyReusedException());
            }
            return jobs.find(conn, tenantId, jobId).map(row -> new Submission(row, true));
        });
    }

    private Uni<Submission> create(SqlConnection conn, String tenantId, Integer tenantLimit, JobSpec spec,
            String idempotencyKey, byte[] requestHash, String traceParent) {
        int limit = tenantLimit != null ? tenantLimit : config.limits().maxActiveJobs();
        UUID id = UUID.randomUUID();
        // Postgres keeps microseconds; truncating here keeps the message and the row identical.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String specJson = new String(ContractsJson.write(spec), UTF_8);
        String message = new String(ContractsJson.write(JobSubmitted.of(id, tenantId, now, spec)), UTF_8);
        return jobs.insert(conn, new NewJob(id, tenantId, WireNames.of(spec.kind()),
                        specJson, idempotencyKey, requestHash, now))
                .chain(() -> outbox.insert(conn, id, Topics.JOB_REQUESTS, message, traceParent))
                .chain(() -> views.appendEvent(conn, id, "submitted",
                        events.simple("submitted", JobState.SUBMITTED, 0, "accepted", now), now))
                .chain(() -> jobs.find(conn, tenantId, id))
                // Last, so that the tenant row stays locked only from here to the commit.
                .chain(row -> slots.tryTake(conn, tenantId, limit).chain(taken -> taken
                        ? Uni.createFrom().item(new Submission(row, false))
                        : slots.count(conn, tenantId).chain(active -> Uni.createFrom().failure(new RateLimitedException(
                                "this tenant already has " + active + " unfinished jobs (limit " + limit + ")",
                                ACTIVE_LIMIT_RETRY_AFTER_SECONDS)))));
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
