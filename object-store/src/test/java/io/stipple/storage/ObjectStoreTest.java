package io.stipple.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.stack.StackEndpoints;
import io.stipple.stack.test.StippleStackExtension;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the real s3proxy of the test stack, which checks signatures like S3 does. */
@ExtendWith(StippleStackExtension.class)
class ObjectStoreTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ObjectStore store;
    private String job;

    @BeforeEach
    void connect(StackEndpoints stack) {
        store = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey(), stack.bucket(),
                stack.region()));
        store.ensureBucket();
        job = UUID.randomUUID().toString();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void putGetStatListDelete() {
        byte[] image = randomBytes(1, 70_000);
        String key = ObjectKeys.result("acme", job, 0);
        store.put(key, image, "image/png");
        store.put(ObjectKeys.result("acme", job, 1), randomBytes(2, 10), "image/png");
        store.put(ObjectKeys.result("other", job, 0), randomBytes(3, 10), "image/png");

        assertArrayEquals(image, store.get(key));
        ObjectInfo info = store.stat(key).orElseThrow();
        assertEquals(image.length, info.size());
        assertEquals(key, info.key());
        assertEquals(List.of(ObjectKeys.result("acme", job, 0), ObjectKeys.result("acme", job, 1)),
                store.list(ObjectKeys.resultsPrefix("acme", job)).stream().map(ObjectInfo::key).toList());

        store.delete(key);
        assertFalse(store.exists(key));
        assertTrue(store.stat(key).isEmpty());
        assertThrows(ObjectStoreException.class, () -> store.get(key));
        store.delete(key); // deleting twice is fine, as in S3
    }

    @Test
    void streamsOfUnknownLengthAreStored() {
        byte[] bytes = randomBytes(4, 300_000);
        String key = ObjectKeys.upload("acme", job, "instance/dog.jpg");
        store.put(key, new ByteArrayInputStream(bytes), -1, "image/jpeg");
        assertArrayEquals(bytes, store.get(key));
    }

    @Test
    void presignedUrlServesTheObjectAndATamperedOneIsRefused() throws Exception {
        byte[] image = randomBytes(5, 1000);
        String key = ObjectKeys.result("acme", job, 3);
        store.put(key, image, "image/png");
        URI url = store.presignedGet(key, Duration.ofMinutes(5));

        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(image, ok.body());

        store.put(ObjectKeys.result("acme", job, 4), randomBytes(6, 10), "image/png");
        URI otherObject = URI.create(url.toString().replace("/3.png?", "/4.png?"));
        assertEquals(403, http.send(HttpRequest.newBuilder(otherObject).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        URI longerExpiry = URI.create(url.toString().replace("X-Amz-Expires=300", "X-Amz-Expires=600"));
        assertTrue(!longerExpiry.equals(url));
        assertEquals(403, http.send(HttpRequest.newBuilder(longerExpiry).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /**
     * A deployment whose clients reach the store under another name than the services (issue 18): the URL
     * names the public endpoint and works there; a URL signed for the internal name, its host rewritten
     * afterwards, is refused (SigV4 signs the host), which is why signing must know the public endpoint.
     */
    @Test
    void presignedUrlsAreSignedForThePublicEndpointAndWorkThere(StackEndpoints stack) throws Exception {
        int storePort = URI.create(stack.s3Endpoint()).getPort();
        try (TcpRelay publicSide = new TcpRelay(storePort);
                ObjectStore published = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(),
                        stack.s3SecretKey(), stack.bucket(), stack.region(), "http://localhost:" + publicSide.port()))) {
            byte[] image = randomBytes(7, 2000);
            String key = ObjectKeys.result("acme", job, 5);
            published.put(key, image, "image/png");

            URI url = published.presignedGet(key, Duration.ofMinutes(5));
            assertEquals("localhost", url.getHost());
            assertEquals(publicSide.port(), url.getPort());
            HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertArrayEquals(image, ok.body());

            URI internal = store.presignedGet(key, Duration.ofMinutes(5));
            URI rewritten = URI.create(internal.toString().replace(internal.getAuthority(), "localhost:" + publicSide.port()));
            assertEquals(403, http.send(HttpRequest.newBuilder(rewritten).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode(), "a URL signed for the internal host is refused at the public one");
        }
    }

    @Test
    void wrongCredentialsAreReportedWithTheOperationAndKey(StackEndpoints stack) {
        try (ObjectStore intruder = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(), "wrong-secret",
                stack.bucket(), stack.region()))) {
            ObjectStoreException error = assertThrows(ObjectStoreException.class, () -> intruder.put("results/x/y/0.png",
                    new byte[1], "image/png"));
            assertTrue(error.getMessage().startsWith("put results/x/y/0.png"), error.getMessage());
        }
    }

    @Test
    void aStoreThatRefusesConnectionsIsAnObjectStoreExceptionNamingTheOperation(StackEndpoints stack) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ObjectStore away = new ObjectStore(new StorageSettings("http://127.0.0.1:" + closedPort, stack.s3AccessKey(),
                stack.s3SecretKey(), stack.bucket(), stack.region()))) {
            // MinIO itself throws IllegalStateException here, which callers would not take for an outage.
            ObjectStoreException list = assertThrows(ObjectStoreException.class, () -> away.list("models/m/1/"));
            assertTrue(list.getMessage().startsWith("list models/m/1/"), list.getMessage());
            assertTrue(list.getMessage().contains("Connection refused"), list.getMessage());
            ObjectStoreException get = assertThrows(ObjectStoreException.class, () -> away.open("models/m/1/card.json"));
            assertTrue(get.getMessage().startsWith("get models/m/1/card.json"), get.getMessage());
        }
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
