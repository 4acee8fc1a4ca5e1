package io.stipple.gateway.repository;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stipple.gateway.fixtures.NoRelayRounds;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One job's messages leave in order while rounds overlap (the relay's own rounds, other replicas'): a row that
 * follows another is not claimed while that one is unsent, even when another round holds it and is publishing it.
 * The claims here are the relay's, run by hand in transactions the test keeps open.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
@TestProfile(NoRelayRounds.class)
class OutboxClaimOrderTest {

    private static final Long[] NONE_SENDING = new Long[0];

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
            assertEquals(List.of(submission, otherSubmission), ours(claim(first).await().atMost(DB), topic),
                    "the first round takes each job's oldest row, not the cancel behind the submission");

            // A second round while the first publishes: the submission is locked (skipped) and still unsent.
            assertEquals(List.of(), inTransaction(conn -> claim(conn)).stream()
                    .filter(r -> r.topic().equals(topic)).map(OutboxRow::id).toList(),
                    "the cancel must not go while its submission is out with another round");

            outbox.markSent(first, List.of(submission, otherSubmission)).await().atMost(DB);
            firstRound.commit().await().atMost(DB);
            first.close().await().atMost(DB);

            List<OutboxRow> next = inTransaction(conn -> claim(conn));
            List<OutboxRow> cancel = next.stream().filter(r -> r.topic().equals(topic)).toList();
            assertEquals(1, cancel.size(), "once the submission is sent, the cancel goes: " + cancel);
            assertEquals("cancel", cancel.get(0).payload());
            assertEquals(job, cancel.get(0).jobId());
        } finally {
            pool.preparedQuery("delete from gateway.outbox where topic = $1").execute(Tuple.of(topic)).await().atMost(DB);
        }
    }

    @Test
    void aRowFollowsTheNewestUnsentRowOfItsJobAndNoneOnceTheyAreSent() {
        UUID job = UUID.randomUUID();
        String topic = "stipple.test.claim-order-" + job;
        try {
            OutboxRepository.WrittenRow submission = inTransaction(conn -> outbox.insert(conn, job, topic, "submitted", null));
            assertNull(submission.followsId(), "a job's first row follows none: its writer may send it at once");
            OutboxRepository.WrittenRow cancel = inTransaction(conn -> outbox.insert(conn, job, topic, "cancel", null));
            assertEquals(submission.row().id(), cancel.followsId(), "written while the submission is unsent (or in flight)");

            outbox.markSent(pool, List.of(submission.row().id(), cancel.row().id())).await().atMost(DB);
            assertNull(inTransaction(conn -> outbox.insert(conn, job, topic, "later", null)).followsId(),
                    "once every earlier row is sent, the next one follows none");
        } finally {
            pool.preparedQuery("delete from gateway.outbox where topic = $1").execute(Tuple.of(topic)).await().atMost(DB);
        }
    }

    @Test
    void aRowItsWriterSendsIsLeftAloneUntilThatSendFailedOrTheGraceHasPassed() {
        UUID job = UUID.randomUUID();
        String topic = "stipple.test.claim-order-" + job;
        try {
            long submission = insertFirstRow(job, topic, "submitted");
            Duration grace = Duration.ofHours(1);
            assertEquals(List.of(), inTransaction(conn -> outbox.claimBatch(conn, 1000, grace, NONE_SENDING)
                    .map(rows -> ours(rows, topic))), "within the grace its writer (maybe another replica) may be sending it");
            assertEquals(List.of(), inTransaction(conn -> outbox.claimBatch(conn, 1000, Duration.ZERO, new Long[] {submission})
                    .map(rows -> ours(rows, topic))), "in flight in this process: never claimed");
            assertEquals(List.of(submission), inTransaction(conn -> claim(conn).map(rows -> ours(rows, topic))),
                    "after the grace, the relay's");

            outbox.markFailed(pool, List.of(submission), "broker away").await().atMost(DB);
            assertEquals(List.of(submission), inTransaction(conn -> outbox.claimBatch(conn, 1000, grace, NONE_SENDING)
                    .map(rows -> ours(rows, topic))), "its writer's send failed: the relay's at once");
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
            List<Long> claimed = inTransaction(conn -> claim(conn)
                    .call(rows -> outbox.markFailed(conn, ours(rows, topic), "broker away"))
                    .map(rows -> ours(rows, topic)));
            assertEquals(List.of(submission), claimed);
            assertEquals(List.of(submission), inTransaction(conn -> claim(conn).map(rows -> ours(rows, topic))),
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

    /** A round's claim with no row in flight in this process and no grace (the test's rows are all the relay's). */
    private io.smallrye.mutiny.Uni<List<OutboxRow>> claim(SqlConnection conn) {
        return outbox.claimBatch(conn, 1000, Duration.ZERO, NONE_SENDING);
    }

    private <T> T inTransaction(java.util.function.Function<SqlConnection, io.smallrye.mutiny.Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(DB);
    }

    private static List<Long> ours(List<OutboxRow> rows, String topic) {
        return rows.stream().filter(r -> r.topic().equals(topic)).map(OutboxRow::id).toList();
    }
}
