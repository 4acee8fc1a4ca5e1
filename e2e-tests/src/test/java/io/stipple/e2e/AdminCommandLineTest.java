package io.stipple.e2e;

import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.stack.StippleService;
import io.stipple.stack.test.StippleStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's administration commands as an operator runs them: the packaged gateway jar with a command,
 * next to the running gateway and scheduler (issue 18, finding 8). stdout carries what the command prints and
 * nothing else (no Quarkus banner, no log line): {@code create-tenant} prints the key and the tenant's webhook
 * signing secret, stored together. The key works against the running gateway, the tenant's webhook
 * notifications are signed with that secret, and after {@code revoke-key} the running gateway refuses the key
 * (once its remembered row of the key expires, within {@code stipple.gateway.api-key-cache.ttl}).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class AdminCommandLineTest {

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void createTenantPrintsTheKeyAloneOnStdoutAndRevokeKeyStopsItAtTheRunningGateway() throws Exception {
        E2eServices services = E2eServices.get();
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        Run created = run(services, "create-tenant", tenant);
        assertEquals(0, created.exitCode(), created.err());
        List<String> out = created.out().lines().toList();
        assertEquals(2, out.size(), "stdout must be the key and the webhook secret alone, was:\n" + created.out());
        String key = out.get(0);
        String webhookSecret = out.get(1);
        assertTrue(key.matches("stp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), key);
        assertTrue(webhookSecret.matches("whsec_[A-Za-z0-9+/]{43}="), webhookSecret);
        assertTrue(created.err().contains("shown this once"), created.err());
        GatewayClient client = new GatewayClient(services.gateway().url(), key);
        assertEquals(200, client.get("/v1/jobs").status());
        assertNotificationsAreSignedWith(client, webhookSecret);

        Run listed = run(services, "list-keys", tenant);
        assertEquals(0, listed.exitCode(), listed.err());
        assertEquals(1, listed.out().lines().count(), listed.out());
        assertTrue(listed.out().startsWith(key.substring(0, 16) + " ") && listed.out().strip().endsWith("active"), listed.out());

        Run revoked = run(services, "revoke-key", key.substring(0, 16));
        assertEquals(0, revoked.exitCode(), revoked.err());
        assertEquals(1, revoked.out().lines().count(), revoked.out());
        // The running gateway remembers the key's row for stipple.gateway.api-key-cache.ttl (5 s), then refuses it.
        await("the running gateway refuses the revoked key").atMost(Duration.ofMinutes(1))
                .until(() -> client.get("/v1/jobs").status() == 401);
    }

    /**
     * A job of the tenant with a webhook for its "queued" change: the gateway signs the notification with the
     * tenant's own secret (the one create-tenant printed). The job is canceled afterwards (no worker serves it).
     */
    private static void assertNotificationsAreSignedWith(GatewayClient client, String secret) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            received.add(Map.of("id", headers.getFirst("webhook-id"), "timestamp", headers.getFirst("webhook-timestamp"),
                    "signature", headers.getFirst("webhook-signature"), "body", body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            GatewayClient.Answer submitted = client.submitGeneration("{\"prompt\": \"a red circle\", \"webhook\": {\"url\": \""
                    + hook + "\", \"events\": [\"queued\"]}}");
            assertEquals(202, submitted.status(), submitted.body());
            await("the queued notification").atMost(Duration.ofMinutes(1)).until(() -> !received.isEmpty());
            Map<String, String> notification = received.get(0);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String signed = notification.get("id") + "." + notification.get("timestamp") + "." + notification.get("body");
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, notification.get("signature"), "signed with the tenant's secret alone");
            client.cancel(UUID.fromString(submitted.json().path("id").asText()));
        } finally {
            receiver.stop(0);
        }
    }

    /** The packaged gateway with a command and the stack's settings, as docs/gateway.md shows it. */
    private static Run run(E2eServices services, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("stipple.repository.root", "..")).toAbsolutePath().normalize()
                .resolve("gateway-service/target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1"));
        Map<String, String> config = new HashMap<>(StippleService.ofModule("gateway-service").config(services.stack()));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within 3 minutes: " + String.join(" ", args));
        }
        return new Run(process.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
