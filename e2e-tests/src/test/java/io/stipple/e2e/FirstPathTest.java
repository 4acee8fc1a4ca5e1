package io.stipple.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.stack.test.StippleStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 2's first real path across processes: the gateway and scheduler fast-jars run as child
 * processes (as {@code ./stipple run} starts them) over the real Kafka and Postgres. POST stores
 * job + outbox row, the relay publishes it, the scheduler consumes it and records {@code queued},
 * and the gateway's GET shows that from the scheduler's snapshot.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class FirstPathTest {

    static final String BODY = """
            {"prompt": "a red star on a blue background", "num_images": 1, "seed": 11}""";
    /** Queued, or further along when the drills' contract test worker already picked it up in this JVM. */
    static final Set<String> QUEUED_OR_LATER = Set.of("queued", "running", "succeeded");

    @Test
    void aSubmittedGenerationIsQueuedByTheSchedulerAndShowsOnGet() {
        GatewayClient client = E2eServices.get().client();
        GatewayClient.Answer accepted = client.submitGeneration(BODY);
        assertEquals(202, accepted.status(), accepted.body());
        JsonNode job = accepted.json();
        String id = UUID.fromString(job.path("id").asText()).toString();
        assertEquals("submitted", job.path("status").asText(), accepted.body());
        assertEquals("generation", job.path("kind").asText(), accepted.body());
        assertEquals("a red star on a blue background", job.path("input").path("prompt").asText(), accepted.body());
        assertEquals(11, job.path("input").path("seed").asLong(), accepted.body());
        String location = accepted.header("Location");
        assertTrue(location != null && location.endsWith("/v1/jobs/" + id), () -> "Location: " + location);

        await("GET /v1/jobs/" + id + " shows queued").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    GatewayClient.Answer shown = client.get("/v1/jobs/" + id);
                    assertEquals(200, shown.status(), shown.body());
                    assertEquals(id, shown.json().path("id").asText(), shown.body());
                    assertTrue(QUEUED_OR_LATER.contains(shown.json().path("status").asText()), shown.body());
                    assertTrue(shown.json().hasNonNull("queued_at"), shown.body());
                });
    }
}
