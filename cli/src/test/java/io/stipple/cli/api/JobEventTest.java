package io.stipple.cli.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobEventTest {

    @Test
    void theTerminalEventsJobIsReadWithItsResultLinks() throws Exception {
        JobEvent event = GatewayClient.JSON.readValue("""
                {"type": "succeeded", "status": "succeeded", "attempt": 1, "at": "2026-12-07T08:00:00Z",
                 "job": {"id": "j1", "kind": "generation", "status": "succeeded", "attempt": 1,
                         "outputs": [{"key": "results/t/j1/0.png", "content_type": "image/png", "size_bytes": 321,
                                      "url": "http://store/results/t/j1/0.png?sig", "expires_at": "2026-12-07T08:15:00Z"}],
                         "cancel_requested": false}}""", JobEvent.class);
        assertTrue(event.terminal());
        assertEquals("succeeded", event.job().status());
        assertEquals("image/png", event.job().outputs().get(0).contentType());
        assertEquals("http://store/results/t/j1/0.png?sig", event.job().outputs().get(0).url());
    }

    @Test
    void anEventWithoutAJobHasNone() throws Exception {
        JobEvent event = GatewayClient.JSON.readValue(
                "{\"type\": \"succeeded\", \"status\": \"succeeded\", \"attempt\": 1, \"at\": \"2026-12-07T08:00:00Z\"}",
                JobEvent.class);
        assertNull(event.job(), "from an older gateway: the follower asks GET /v1/jobs/{id}");
    }
}
