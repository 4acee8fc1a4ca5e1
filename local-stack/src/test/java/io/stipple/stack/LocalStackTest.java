package io.stipple.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.stipple.contracts.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's own lifecycle, on a private state directory (not the shared test stack). */
class LocalStackTest {

    @TempDir
    Path home;

    @Test
    void startsProvisionsReusesStopsAndKeepsDataAcrossRestarts() throws Exception {
        StackSettings settings = StackSettings.ephemeral(home).withEnvironment(Map.of());
        try (LocalStack stack = LocalStack.start(settings)) {
            assertTrue(stack.launchedAny());
            StackEndpoints endpoints = stack.endpoints();
            assertTopicsExist(endpoints);
            try (Connection db = connect(endpoints); Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE survivor (name text)");
                sql.execute("INSERT INTO survivor VALUES ('kept')");
            }
            MinioClient s3 = s3(endpoints);
            assertTrue(s3.bucketExists(BucketExistsArgs.builder().bucket(endpoints.bucket()).build()));
            byte[] bytes = "kept".getBytes(StandardCharsets.UTF_8);
            s3.putObject(PutObjectArgs.builder().bucket(endpoints.bucket()).object("a/b.txt")
                    .data(bytes, bytes.length).build());

            try (LocalStack again = LocalStack.start(settings)) {
                assertFalse(again.launchedAny(), "a second start reuses the running servers");
            }
            assertTrue(LocalStack.status(settings).stream().allMatch(s -> s.state() == StackPart.State.RUNNING),
                    "closing a stack that launched nothing stops nothing");
        }
        assertTrue(LocalStack.status(settings).stream().allMatch(s -> s.state() == StackPart.State.STOPPED));

        try (LocalStack restarted = LocalStack.start(settings)) {
            StackEndpoints endpoints = restarted.endpoints();
            try (Connection db = connect(endpoints); Statement sql = db.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT name FROM survivor")) {
                assertTrue(rows.next());
                assertEquals("kept", rows.getString(1));
            }
            try (var in = s3(endpoints).getObject(GetObjectArgs.builder().bucket(endpoints.bucket()).object("a/b.txt").build())) {
                assertEquals("kept", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertTopicsExist(endpoints);
        }
    }

    @Test
    void aTakenPortIsReportedByNumber() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackSettings base = StackSettings.ephemeral(home);
            StackSettings settings = base.withS3(new StackSettings.S3(base.s3().externalEndpoint(), squatter.getLocalPort(),
                    base.s3().accessKey(), base.s3().secretKey(), base.s3().bucket(), base.s3().region()));
            StackException error = assertThrows(StackException.class, () -> LocalStack.start(settings).close());
            assertTrue(error.getMessage().contains("Port " + squatter.getLocalPort()), error.getMessage());
            assertTrue(LocalStack.status(settings).stream().allMatch(s -> s.state() == StackPart.State.STOPPED),
                    "nothing is launched when one port is taken");
        }
    }

    private static void assertTopicsExist(StackEndpoints endpoints) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrap()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.containsAll(Topics.ALL), "missing topics in " + topics);
        }
    }

    private static Connection connect(StackEndpoints endpoints) throws Exception {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
    }

    private static MinioClient s3(StackEndpoints endpoints) {
        return MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).region(endpoints.region()).build();
    }
}
