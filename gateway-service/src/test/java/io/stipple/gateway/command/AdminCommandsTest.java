package io.stipple.gateway.command;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stipple.stack.test.StippleStackResource;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administration commands as {@link GatewayApplication} runs them. {@code create-tenant}: the printed key
 * works, limits apply, bad input is a usage error; the second line is the tenant's webhook secret, and
 * {@code rotate-webhook-secret} issues another. {@code list-keys} and {@code revoke-key}: a revoked key
 * is refused from the next request on, the tenant's other keys keep working.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class AdminCommandsTest {

    @Inject
    Instance<CreateTenantCommand> createTenant;
    @Inject
    Instance<ListKeysCommand> listKeys;
    @Inject
    Instance<RevokeKeyCommand> revokeKey;
    @Inject
    Instance<RotateWebhookSecretCommand> rotateWebhookSecret;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void printsAKeyThatAuthenticatesTheNewTenantWithItsOwnJobLimit() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Run run = run("create-tenant", tenant, "--name", "Command Line Inc.", "--max-active-jobs", "1");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), "the key and the webhook secret, nothing else: " + run.out());
        String key = lines.get(0);
        assertTrue(key.matches("stp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), key);
        assertTrue(lines.get(1).matches("whsec_[A-Za-z0-9+/]{43}="), lines.get(1));

        given().header("Authorization", "Bearer " + key).get("/v1/jobs").then().statusCode(200);
        submit(key).then().statusCode(202);
        submit(key).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void runningItAgainIssuesAnotherKeyAndKeepsTheFirst() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String first = keyOf(run("create-tenant", tenant));
        Run again = run("create-tenant", tenant);
        assertEquals(0, again.exitCode(), again.err());
        String second = keyOf(again);
        assertNotEquals(first, second);
        given().header("Authorization", "Bearer " + first).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", "Bearer " + second).get("/v1/jobs").then().statusCode(200);
    }

    @Test
    void aBadTenantIdOrLimitIsAUsageErrorThatPrintsNoKey() {
        Run badId = run("create-tenant", "Not_A/Tenant");
        assertEquals(CommandLine.ExitCode.USAGE, badId.exitCode());
        assertTrue(badId.err().contains("tenant id must match"), badId.err());
        assertEquals("", badId.out());

        Run badLimit = run("create-tenant", "cli-limit", "--max-active-jobs", "0");
        assertEquals(CommandLine.ExitCode.USAGE, badLimit.exitCode());
        assertTrue(badLimit.err().contains("--max-active-jobs"), badLimit.err());

        Run missing = run("create-tenant");
        assertEquals(CommandLine.ExitCode.USAGE, missing.exitCode());
    }

    @Test
    void listKeysShowsATenantsKeysAndARevokedOneIsRefusedFromTheNextRequestOn() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String revoked = keyOf(run("create-tenant", tenant));
        String kept = keyOf(run("create-tenant", tenant));
        String revokedPrefix = revoked.substring(0, "stp_".length() + 12);
        given().header("Authorization", "Bearer " + revoked).get("/v1/jobs").then().statusCode(200);

        Run listed = run("list-keys", tenant);
        assertEquals(0, listed.exitCode(), listed.err());
        List<String> lines = listed.out().lines().toList();
        assertEquals(2, lines.size(), listed.out());
        assertTrue(lines.stream().allMatch(line -> line.endsWith("active")), listed.out());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(revokedPrefix + " ")), listed.out());
        assertFalse(listed.out().contains(revoked.substring(revokedPrefix.length())), "the secret part is never shown");

        Run revoke = run("revoke-key", revokedPrefix);
        assertEquals(0, revoke.exitCode(), revoke.err());
        assertTrue(revoke.out().contains(tenant), revoke.out());
        given().header("Authorization", "Bearer " + revoked).get("/v1/jobs").then().statusCode(401);
        given().header("Authorization", "Bearer " + kept).get("/v1/jobs").then().statusCode(200);
        String after = run("list-keys", tenant).out();
        assertTrue(after.lines().anyMatch(line -> line.startsWith(revokedPrefix + " ") && line.contains("revoked 20")), after);

        Run again = run("revoke-key", revokedPrefix);
        assertEquals(CommandLine.ExitCode.SOFTWARE, again.exitCode());
        assertTrue(again.err().contains("no active key has the prefix " + revokedPrefix), again.err());
        Run byWholeKey = run("revoke-key", kept);
        assertEquals(0, byWholeKey.exitCode(), byWholeKey.err());
        given().header("Authorization", "Bearer " + kept).get("/v1/jobs").then().statusCode(401);
    }

    @Test
    void badKeyNamesAndUnknownTenantsAreRefusedWithAMessage() {
        Run notAKey = run("revoke-key", "stp_XYZ");
        assertEquals(CommandLine.ExitCode.USAGE, notAKey.exitCode());
        assertTrue(notAKey.err().contains("12 hex digits"), notAKey.err());
        Run unknownTenant = run("list-keys", "no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8));
        assertEquals(CommandLine.ExitCode.SOFTWARE, unknownTenant.exitCode());
        assertEquals("", unknownTenant.out());
        assertTrue(unknownTenant.err().contains("has no API keys"), unknownTenant.err());
    }

    @Test
    void rotateWebhookSecretPrintsANewSecretAndRefusesAnUnknownTenant() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String created = run("create-tenant", tenant).out().lines().toList().get(1);
        Run rotated = run("rotate-webhook-secret", tenant);
        assertEquals(0, rotated.exitCode(), rotated.err());
        String secret = rotated.out().trim();
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        assertNotEquals(created, secret);
        assertTrue(rotated.err().contains("the previous ones sign next to it until"), rotated.err());

        Run unknown = run("rotate-webhook-secret", "no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8));
        assertEquals(CommandLine.ExitCode.SOFTWARE, unknown.exitCode());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().contains("no tenant"), unknown.err());
    }

    private static String keyOf(Run createTenant) {
        return createTenant.out().lines().findFirst().orElseThrow();
    }

    /** The command line as GatewayApplication builds it. */
    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GatewayApplication.commandLine(List.of(createTenant.get(), listKeys.get(), revokeKey.get(), rotateWebhookSecret.get()))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static io.restassured.response.Response submit(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a command line star\"}").post("/v1/generations");
    }
}
