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
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code create-tenant}, as {@link GatewayMain} runs it: the printed key works, limits apply, bad input is a usage error. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class CreateTenantCommandTest {

    @Inject
    Instance<CreateTenantCommand> commands;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void printsAKeyThatAuthenticatesTheNewTenantWithItsOwnJobLimit() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Run run = run("create-tenant", tenant, "--name", "Command Line Inc.", "--max-active-jobs", "1");
        assertEquals(0, run.exitCode(), run.err());
        String key = run.out().trim();
        assertTrue(key.matches("stp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), key);

        given().header("Authorization", "Bearer " + key).get("/v1/jobs").then().statusCode(200);
        submit(key).then().statusCode(202);
        submit(key).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void runningItAgainIssuesAnotherKeyAndKeepsTheFirst() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String first = run("create-tenant", tenant).out().trim();
        Run again = run("create-tenant", tenant);
        assertEquals(0, again.exitCode(), again.err());
        String second = again.out().trim();
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

    /** The command line as GatewayMain builds it. */
    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GatewayMain.commandLine(commands.get())
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
