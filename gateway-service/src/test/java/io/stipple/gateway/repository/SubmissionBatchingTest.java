package io.stipple.gateway.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.contracts.status.JobState;
import io.stipple.gateway.mapping.GenerationSpecMapper;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.messaging.AfterCommitSender;
import io.stipple.gateway.repository.SubmissionRepository.NewSubmission;
import io.stipple.gateway.repository.SubmissionRepository.OutboxMessage;
import io.stipple.gateway.rest.model.GenerationRequest;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Submissions written together: each tenant's limit exact per submission, and a reused key fails alone. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class SubmissionBatchingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final LongConsumer NOTHING = outboxId -> { };

    @Inject
    TenantService tenantService;

    @Inject
    SubmissionRepository repository;

    @Inject
    SubmissionBatcher batcher;

    @Inject
    JobRepository jobs;

    @Inject
    Pool pool;

    @Inject
    GenerationSpecMapper specs;

    @Inject
    ObjectMapper json;

    @Inject
    JobEventMapper events;

    @Inject
    OutboxRepository outbox;

    @Inject
    AfterCommitSender sender;

    @Test
    void oneStatementGrantsEachTenantItsFreeSlotsInArrivalOrder() throws Exception {
        TenantKey two = Tenants.create(tenantService, "batch-two", 2);
        TenantKey three = Tenants.create(tenantService, "batch-three", 3);
        JobSpec spec = spec("{\"prompt\": \"together\", \"seed\": 7}");
        // arrival order: two, three, two, two, three, three, three, two
        List<NewSubmission> batch = new ArrayList<>();
        for (TenantKey tenant : List.of(two, three, two, two, three, three, three, two)) {
            batch.add(submission(tenant.id(), tenant == two ? 2 : 3, spec, null));
        }

        Map<UUID, Long> written = repository.insertWhereSlotsFree(batch, List.of()).await().atMost(WAIT);
        Set<UUID> stored = written.keySet();

        Set<UUID> expected = Set.of(batch.get(0).job().id(), batch.get(2).job().id(),
                batch.get(1).job().id(), batch.get(4).job().id(), batch.get(5).job().id());
        assertEquals(expected, stored);
        // Each stored job with its own outbox row (the one its writer sends after the commit).
        for (Map.Entry<UUID, Long> job : written.entrySet()) {
            assertEquals(job.getKey(), pool.preparedQuery("select job_id from gateway.outbox where id = $1")
                    .execute(Tuple.of(job.getValue())).await().atMost(WAIT).iterator().next().getUUID(0));
        }
        // The spec column is the message's spec.
        JobRow row = jobs.find(pool, two.id(), batch.get(0).job().id()).await().atMost(WAIT);
        assertEquals(spec, ContractsJson.mapper().readValue(row.specJson(), JobSpec.class));
        // Both tenants are full now: a later statement stores nothing of theirs.
        NewSubmission late = submission(three.id(), 3, spec, null);
        assertEquals(Map.of(), repository.insertWhereSlotsFree(List.of(submission(two.id(), 2, spec, null), late), List.of())
                .await().atMost(WAIT));
    }

    @Test
    void aKeyStoredTwiceInOneBatchFailsOnlyThatSubmission() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "batch-key", 100);
        JobSpec spec = spec("{\"prompt\": \"keyed\"}");
        List<NewSubmission> submissions = List.of(
                submission(tenant.id(), 100, spec, null),
                submission(tenant.id(), 100, spec, "same-key"),
                submission(tenant.id(), 100, spec, null),
                submission(tenant.id(), 100, spec, "same-key"),
                submission(tenant.id(), 100, spec, null));

        List<String> outcomes = new ArrayList<>();
        List<Uni<String>> stores = submissions.stream()
                .map(s -> batcher.store(s, NOTHING).map(outboxId -> "stored " + (outboxId != null))
                        .onFailure().recoverWithItem(e -> UniqueViolations.is(e) ? "unique violation" : e.toString()))
                .toList();
        for (Uni<String> store : stores) {
            outcomes.add(store.await().atMost(WAIT));
        }

        assertEquals(4, outcomes.stream().filter("stored true"::equals).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter("unique violation"::equals).count(), outcomes.toString());
    }

    @Test
    void afterABrokenKeyTheSubmissionsWithoutOneAreWrittenAgainInOneTransaction() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "batch-apart", 100);
        JobSpec spec = spec("{\"prompt\": \"apart\"}");
        assertNotNull(batcher.store(submission(tenant.id(), 100, spec, "stored-key"), NOTHING).await().atMost(WAIT));
        NewSubmission first = submission(tenant.id(), 100, spec, null);
        NewSubmission replay = submission(tenant.id(), 100, spec, "stored-key");
        List<NewSubmission> unkeyed = List.of(submission(tenant.id(), 100, spec, null),
                submission(tenant.id(), 100, spec, null), submission(tenant.id(), 100, spec, null));

        // While another transaction holds the tenant's row, the first statement waits on it and the rest queue
        // behind it: they go together in the next statement, which breaks the stored key.
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        CompletableFuture<Long> firstStored;
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        try {
            Transaction tx = holder.begin().await().atMost(WAIT);
            holder.preparedQuery("select 1 from gateway.tenants where id = $1 for update").execute(Tuple.of(tenant.id()))
                    .await().atMost(WAIT);
            firstStored = batcher.store(first, NOTHING).subscribeAsCompletionStage();
            for (NewSubmission s : Stream.concat(Stream.of(replay), unkeyed.stream()).toList()) {
                outcomes.add(batcher.store(s, NOTHING).map(outboxId -> "stored " + (outboxId != null))
                        .onFailure().recoverWithItem(e -> UniqueViolations.is(e) ? "unique violation" : e.toString())
                        .subscribeAsCompletionStage());
            }
            tx.commit().await().atMost(WAIT);
        } finally {
            holder.closeAndAwait();
        }

        assertNotNull(firstStored.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        List<String> answers = new ArrayList<>();
        for (CompletableFuture<String> outcome : outcomes) {
            answers.add(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(List.of("unique violation", "stored true", "stored true", "stored true"), answers);
        // One transaction (one commit) for the three, not one each.
        long transactions = pool.preparedQuery("select count(distinct xmin::text) from gateway.jobs where id = any($1)")
                .execute(Tuple.of(unkeyed.stream().map(s -> s.job().id()).toArray(UUID[]::new)))
                .await().atMost(WAIT).iterator().next().getLong(0);
        assertEquals(1, transactions);
    }

    @Test
    void aStatementMarksTheRowsAcknowledgedBeforeItStartsWithItsOwnCommit() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "batch-marks", 100);
        long acknowledged = outbox.insert(pool, UUID.randomUUID(), Topics.JOB_REQUESTS, "{}", null).await().atMost(WAIT)
                .row().id();
        // As its writer's send does once Kafka acknowledged the row; the next statement starts right here, before
        // the mark's own statement could (outbox.mark-linger after it).
        sender.notMarked(List.of(acknowledged));
        NewSubmission submission = submission(tenant.id(), 100, spec("{\"prompt\": \"marks along\"}"), null);

        assertNotNull(batcher.store(submission, NOTHING).await().atMost(WAIT));

        assertEquals(xmin("gateway.jobs", submission.job().id()), xmin("gateway.outbox", acknowledged),
                "the row was marked by the submission's commit");
        assertEquals(Boolean.TRUE, pool.preparedQuery("select sent_at is not null from gateway.outbox where id = $1")
                .execute(Tuple.of(acknowledged)).await().atMost(WAIT).iterator().next().getBoolean(0));
    }

    private String xmin(String table, Object id) {
        return pool.preparedQuery("select xmin::text from " + table + " where id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT).iterator().next().getString(0);
    }

    private JobSpec spec(String request) throws Exception {
        return specs.toSpec(json.readValue(request, GenerationRequest.class));
    }

    private NewSubmission submission(String tenantId, int limit, JobSpec spec, String key) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String message = new String(ContractsJson.write(JobSubmitted.of(id, tenantId, now, spec)), UTF_8);
        return new NewSubmission(new NewJob(id, tenantId, "generation", key, key == null ? null : new byte[] {1}, now), limit,
                new OutboxMessage(Topics.JOB_REQUESTS, message, null),
                events.simple("submitted", JobState.SUBMITTED, 0, "accepted", now));
    }
}
