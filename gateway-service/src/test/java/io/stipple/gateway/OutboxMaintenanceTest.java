package io.stipple.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.gateway.messaging.OutboxMaintenance;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox stays bounded (sent rows past the retention are deleted, unsent ones never) and its backlog is a gauge. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class OutboxMaintenanceTest {

    static final Duration DB = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    OutboxMaintenance maintenance;

    @Inject
    MeterRegistry registry;

    @Test
    void deletesOnlySentRowsOlderThanTheRetention() {
        UUID job = UUID.randomUUID();
        long oldSent = insert(job, "now() - interval '2 days'", "now() - interval '2 days'");
        long recentSent = insert(job, "now() - interval '1 hour'", "now() - interval '1 hour'");
        // Unsent however old: deleting it would lose a message. A topic nobody has keeps it unsent meanwhile.
        long oldUnsent = insert(job, "now() - interval '3 days'", null);
        try {
            int deleted = maintenance.deleteExpired().await().atMost(DB);
            assertTrue(deleted >= 1, "deleted " + deleted);
            assertEquals(false, exists(oldSent), "a row sent 2 days ago is past the 24 h retention");
            assertEquals(true, exists(recentSent), "a row sent an hour ago is kept");
            assertEquals(true, exists(oldUnsent), "an unsent row is never deleted");
        } finally {
            pool.preparedQuery("delete from gateway.outbox where job_id = $1").execute(Tuple.of(job)).await().atMost(DB);
        }
    }

    @Test
    void theBacklogGaugesCountUnsentRowsAndTheOldestOnesAge() {
        UUID job = UUID.randomUUID();
        try {
            insert(job, "now() - interval '1 hour'", null);
            insert(job, "now()", null);
            long after = maintenance.refreshPending().await().atMost(DB);
            assertTrue(after >= 2, "our two unsent rows are counted, pending = " + after);
            assertEquals((double) after, registry.get(OutboxMaintenance.PENDING_GAUGE).gauge().value());
            double age = registry.get(OutboxMaintenance.OLDEST_AGE_GAUGE).gauge().value();
            assertTrue(age >= 3600, "our row written an hour ago still waits, so the oldest has waited at least that long: age = " + age);
        } finally {
            pool.preparedQuery("delete from gateway.outbox where job_id = $1").execute(Tuple.of(job)).await().atMost(DB);
        }
    }

    /** A row for a topic that does not exist, so the relay cannot send it while the test looks. */
    private long insert(UUID job, String createdAt, String sentAt) {
        return pool.preparedQuery("insert into gateway.outbox (job_id, topic, payload, created_at, sent_at) values ($1, $2, '{}', "
                        + createdAt + ", " + (sentAt == null ? "null" : sentAt) + ") returning id")
                .execute(Tuple.of(job, "stipple.test.nowhere-" + job)).await().atMost(DB).iterator().next().getLong("id");
    }

    private boolean exists(long id) {
        return pool.preparedQuery("select 1 from gateway.outbox where id = $1").execute(Tuple.of(id)).await().atMost(DB).size() > 0;
    }
}
