package io.stipple.gateway.repository;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One job's messages leave in order while rounds overlap (the relay's own rounds, other replicas'): a row that
 * follows another is not claimed while that one is unsent, even when another round holds it and is publishing it.
 * The claims here are the relay's, run by hand in transactions the test keeps open.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
@TestProfile(OutboxClaimOrderTest.NoRelayRounds.class)
class OutboxClaimOrderTest {

    /** The relay's own rounds would claim the test's rows meanwhile: its timer is left for hours (no submission nudges it here). */
    public static final class NoRelayRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stipple.gateway.outbox.poll-interval", "6h");
        }
    }

    private static final Duration DB = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    OutboxRepository outbox;

    @Test
    void aCancelWaitsForItsSubmissionEvenWhileAnotherRoundHoldsIt() {
        UUID job = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String topic = "stipple.test.claim-order-" + job;
        try {
            long submission = insertFirstRow(job, topic, "submitted");
            inTransaction(conn -> outbox.insert(conn, job, topic, "cancel", null));
            long otherSubmission = insertFirstRow(other, topic, "other submitted");

            SqlConnection first = pool.getConnection().await().atMost(DB);
            Transaction firstRound = first.begin().await().atMost(DB);
            assertEquals(List.of(submission, otherSubmission), ours(outbox.claimBatch(first, 1000).await().atMost(DB), topic),
                    "the first round takes each job's oldest row, not the cancel behind the submission");

            // A second round while the first publishes: the submission is locked (skipped) and still unsent.
            assertEquals(List.of(), inTransaction(conn -> outbox.claimBatch(conn, 1000)).stream()
                    .filter(r -> r.topic().equals(topic)).map(OutboxRow::id).toList(),
                    "the cancel must not go while its submission is out with another round");

            outbox.markSent(first, List.of(submission, otherSubmission)).await().atMost(DB);
            firstRound.commit().await().atMost(DB);
            first.close().await().atMost(DB);

            List<OutboxRow> next = inTransaction(conn -> outbox.claimBatch(conn, 1000));
            List<OutboxRow> cancel = next.stream().filter(r -> r.topic().equals(topic)).toList();
            assertEquals(1, cancel.size(), "once the submission is sent, the cancel goes: " + cancel);
            assertEquals("cancel", cancel.get(0).payload());
            assertEquals(job, cancel.get(0).jobId());
        } finally {
            pool.preparedQuery("delete from gateway.outbox where topic = $1").execute(Tuple.of(topic)).await().atMost(DB);
        }
    }

    @Test
    void aCancelWaitsWhileItsSubmissionFailsToPublish() {
        UUID job = UUID.randomUUID();
        String topic = "stipple.test.claim-order-" + job;
        try {
            long submission = insertFirstRow(job, topic, "submitted");
            inTransaction(conn -> outbox.insert(conn, job, topic, "cancel", null));

            // A round that could not publish the submission: it stays unsent, and the cancel behind it too.
            List<Long> claimed = inTransaction(conn -> outbox.claimBatch(conn, 1000)
                    .call(rows -> outbox.markFailed(conn, ours(rows, topic), "broker away"))
                    .map(rows -> ours(rows, topic)));
            assertEquals(List.of(submission), claimed);
            assertEquals(List.of(submission), inTransaction(conn -> outbox.claimBatch(conn, 1000).map(rows -> ours(rows, topic))),
                    "the next round retries the submission, and still not the cancel");
        } finally {
            pool.preparedQuery("delete from gateway.outbox where topic = $1").execute(Tuple.of(topic)).await().atMost(DB);
        }
    }

    /** A job's first row, as the submission statement writes it (it follows nothing). */
    private long insertFirstRow(UUID job, String topic, String payload) {
        return pool.preparedQuery("insert into gateway.outbox (job_id, topic, payload) values ($1, $2, $3) returning id")
                .execute(Tuple.of(job, topic, payload)).await().atMost(DB).iterator().next().getLong("id");
    }

    private <T> T inTransaction(java.util.function.Function<SqlConnection, io.smallrye.mutiny.Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(DB);
    }

    private static List<Long> ours(List<OutboxRow> rows, String topic) {
        return rows.stream().filter(r -> r.topic().equals(topic)).map(OutboxRow::id).toList();
    }
}
