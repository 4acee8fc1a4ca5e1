package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.fixtures.TestImages;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.gateway.service.UploadSlots;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload memory (issue 18, finding 7): a large body is admitted with an upload slot before it is read, and is
 * never taken in by an HTTP/2 cleartext upgrade, which would put the whole body in the heap.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class UploadAdmissionTest {

    /** A body the size of a maximum upload, declared and never sent in full. */
    private static final long DECLARED = 80L * 1024 * 1024;

    @Inject
    TenantService tenantService;

    @Inject
    UploadSlots slots;

    @Inject
    GatewayConfig config;

    TenantKey tenant;

    @BeforeEach
    void newTenant() {
        tenant = Tenants.create(tenantService, "admit", null);
    }

    @Test
    void whenEverySlotHoldsAnUnfinishedBodyTheNextIsRefusedBeforeItsBodyIsRead() throws IOException {
        int size = config.uploads().maxConcurrent();
        List<Socket> holding = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                holding.add(startUpload("/v1/uploads", "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"));
            }
            await("every slot taken by a body still arriving").atMost(Duration.ofSeconds(30))
                    .until(() -> slots.available() == 0);

            try (Socket refused = startUpload("/v1/models/imports", "")) {
                String answer = readAnswer(refused.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                assertTrue(answer.contains("urn:stipple:problem:service-unavailable"), answer);
                assertTrue(answer.toLowerCase(Locale.ROOT).contains("\r\nretry-after: "), "a 503 says when to come back: " + answer);
                // The body follows the answer, as a client that reads only after sending would send it: it is
                // read and dropped, and the connection carries the next request.
                OutputStream out = refused.getOutputStream();
                byte[] chunk = new byte[1024 * 1024];
                for (long sent = 0; sent < DECLARED; sent += chunk.length) {
                    out.write(chunk);
                }
                out.write(("GET /v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + tenant.bearer() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String next = readAnswer(refused.getInputStream());
                assertTrue(next.startsWith("HTTP/1.1 200 "), next);
            }
        } finally {
            for (Socket socket : holding) {
                socket.close();
            }
        }
        await("a closed connection gives its slot back").atMost(Duration.ofSeconds(30))
                .until(() -> slots.available() == size);
        given().header("Authorization", tenant.bearer())
                .multiPart("file", "a.png", TestImages.png(8, 8, 1), "image/png")
                .post("/v1/uploads").then().statusCode(201);
        assertEquals(size, slots.available(), "a finished upload gives its slot back");
    }

    @Test
    void aRequestToUpgradeToCleartextHttp2IsAnsweredInHttp11() throws IOException {
        byte[] png = TestImages.png(8, 8, 2);
        String boundary = "h2c";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(png);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        // What the JDK's HttpClient sends by default for an http:// URI.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/uploads HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                    + "Authorization: " + tenant.bearer() + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                    + "\r\nContent-Length: " + body.size() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body.toByteArray());
            out.flush();
            assertEquals("HTTP/1.1 201 Created", statusLine(socket.getInputStream()),
                    "answered in HTTP/1.1, not with 101 Switching Protocols");
        }
    }

    /** Sends the head of a {@value #DECLARED}-byte multipart body to {@code path} and the first bytes of it. */
    private Socket startUpload(String path, String start) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + tenant.bearer() + "\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + DECLARED + "\r\n\r\n" + start)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** One answer read off a kept-alive connection: its head and as many body bytes as its Content-Length says. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside an answer's head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return text + new String(body, StandardCharsets.UTF_8);
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).trim();
    }
}
