package io.stipple.gateway.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.NoRelayRounds;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.mapping.GenerationSpecMapper;
import io.stipple.gateway.repository.OutboxRepository;
import io.stipple.gateway.repository.OutboxRepository.WrittenRow;
import io.stipple.gateway.rest.model.GenerationRequest;
import io.stipple.gateway.service.SubmissionService;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A row goes to Kafka right after the commit that wrote it, from its writer, with no relay round; a row that
 * follows one still in flight waits for it and then goes with a round. The relay's timer is left for hours and
 * its grace for its writers' rows for one (the profile), so no timed round and no claim of a row its writer
 * sends can do the work here.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
@TestProfile(NoRelayRounds.class)
class AfterCommitSendTest {

    private static final Duration DB = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    OutboxRepository outbox;

    @Inject
    AfterCommitSender sender;

    @Inject
    InFlightRows inFlight;

    @Inject
    OutboxRelay relay;

    @Inject
    TenantService tenantService;

    @Inject
    MeterRegistry meters;

    @Inject
    SubmissionService submissions;

    @Inject
    GenerationSpecMapper specs;

    @Inject
    ObjectMapper json;

    @Test
    void aSubmissionIsSentByItsWriterWithoutARelayRound() {
        TenantKey tenant = Tenants.create(tenantService, "after-commit", null);
        double relayed = published("relay");
        double byWriters = published("writer");

        String id = submit(tenant);

        KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1);
        await().atMost(DB).until(() -> sentAt(UUID.fromString(id)).stream().allMatch(sent -> sent));
        assertEquals(relayed, published("relay"), "no relay round sent it");
        assertTrue(published("writer") > byWriters, "its writer sent it");
    }

    @Test
    void aSubmissionWhoseClientLeftBeforeItsCommitIsSentByItsWriterAllTheSame() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "after-commit-gone", null);
        JobSpec spec = specs.toSpec(json.readValue("{\"prompt\": \"nobody waits\", \"seed\": 4}", GenerationRequest.class));
        double relayed = published("relay");

        // The statement waits for the tenant's row while the request's wait is cancelled, as a closed connection
        // cancels it; then the statement commits. The relay's grace is an hour here: only the writer can send it.
        SqlConnection holder = pool.getConnection().await().atMost(DB);
        try {
            Transaction tx = holder.begin().await().atMost(DB);
            holder.preparedQuery("select 1 from gateway.tenants where id = $1 for update").execute(Tuple.of(tenant.id()))
                    .await().atMost(DB);
            submissions.submit(tenant.id(), null, spec, null, null).subscribe().with(ignored -> { }, ignored -> { })
                    .cancel();
            tx.commit().await().atMost(DB);
        } finally {
            holder.closeAndAwait();
        }

        UUID job = await().atMost(DB).until(() -> jobOf(tenant), java.util.Objects::nonNull);
        KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, job.toString(), 1);
        await().atMost(DB).until(() -> sentAt(job).equals(List.of(true)));
        assertEquals(relayed, published("relay"), "no relay round sent it");
    }

    @Test
    void aCancelRightAfterItsSubmissionGoesAfterIt() {
        TenantKey tenant = Tenants.create(tenantService, "after-commit-cancel", null);
        String id = submit(tenant);
        given().header("Authorization", tenant.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(202);

        List<ConsumerRecord<String, String>> records = KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 2);
        assertInstanceOf(JobSubmitted.class, ContractsJson.read(records.get(0).value(), JobRequest.class));
        assertInstanceOf(CancelRequested.class, ContractsJson.read(records.get(1).value(), JobRequest.class));
        await().atMost(DB).until(() -> sentAt(UUID.fromString(id)).equals(List.of(true, true)));
    }

    @Test
    void aRowThatFollowsOneInFlightWaitsForItAndThenGoesWithARound() {
        UUID job = UUID.randomUUID();
        WrittenRow submission = pool.withTransaction(conn -> outbox.insert(conn, job, Topics.JOB_REQUESTS, "{}", null))
                .await().atMost(DB);
        // Its writer's send, begun and not acknowledged yet.
        inFlight.add(submission.row().id());
        WrittenRow cancel = pool.withTransaction(conn -> outbox.insert(conn, job, Topics.JOB_REQUESTS, "{\"cancel\": 1}", null))
                .await().atMost(DB);
        assertEquals(submission.row().id(), cancel.followsId());

        sender.send(cancel);
        relay.drain().await().atMost(DB);
        assertEquals(List.of(false, false), sentAt(job), "neither goes while the submission is in flight: the cancel follows it");

        outbox.markSent(pool, List.of(submission.row().id())).await().atMost(DB);
        inFlight.done(submission.row().id());

        await().atMost(DB).until(() -> sentAt(job).equals(List.of(true, true)));
        List<ConsumerRecord<String, String>> records = KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, job.toString(), 1);
        assertEquals("{\"cancel\": 1}", records.get(0).value());
        assertFalse(records.stream().anyMatch(r -> r.value().equals("{}")), "the submission was never sent here");
    }

    private String submit(TenantKey tenant) {
        return given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"sent after the commit\", \"seed\": 3}").post("/v1/generations")
                .then().statusCode(202).extract().path("id");
    }

    /** The tenant's one job, or null before it is stored. */
    private UUID jobOf(TenantKey tenant) {
        var rows = pool.preparedQuery("select id from gateway.jobs where tenant_id = $1").execute(Tuple.of(tenant.id()))
                .await().atMost(DB);
        return rows.size() == 0 ? null : rows.iterator().next().getUUID(0);
    }

    /** Whether each outbox row of the job is marked sent, in id order. */
    private List<Boolean> sentAt(UUID job) {
        List<Boolean> sent = new java.util.ArrayList<>();
        pool.preparedQuery("select sent_at is not null from gateway.outbox where job_id = $1 order by id")
                .execute(Tuple.of(job)).await().atMost(DB).forEach(row -> sent.add(row.getBoolean(0)));
        return sent;
    }

    private double published(String path) {
        var counter = meters.find("stipple.gateway.outbox.published").tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }
}
