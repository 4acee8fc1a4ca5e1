package io.stipple.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The gateway's REST API ({@code /v1}, docs/gateway.md) over {@code java.net.http}: every call
 * sends the API key as a bearer token and turns an error answer into an {@link ApiException}.
 */
public final class GatewayClient {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RECONNECTS = 20;
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    /** The gateway's JSON: snake_case names; fields the CLI does not know are skipped. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ApiSettings settings;
    private final HttpClient http;

    public GatewayClient(ApiSettings settings) {
        this(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    GatewayClient(ApiSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    public URI url() {
        return settings.url();
    }

    public Job submitGeneration(ObjectNode body) {
        return send(json("/v1/generations", body), Job.class);
    }

    public Job submitFineTune(ObjectNode body) {
        return send(json("/v1/finetunes", body), Job.class);
    }

    public Upload upload(List<Path> files) {
        Multipart body = new Multipart();
        files.forEach(f -> body.file("file", f));
        return send(authorized("/v1/uploads").header("Content-Type", body.contentType()).POST(body.publisher()).build(),
                Upload.class);
    }

    public Job job(String id) {
        return send(authorized("/v1/jobs/" + segment(id)).GET().build(), Job.class);
    }

    /** One page of the tenant's jobs, newest first; null filters mean all. */
    public JobPage jobs(String status, String kind, int limit, String cursor) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("kind", kind);
        query.put("limit", Integer.toString(limit));
        query.put("cursor", cursor);
        String encoded = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(authorized("/v1/jobs?" + encoded).GET().build(), JobPage.class);
    }

    public Job cancel(String id) {
        return send(authorized("/v1/jobs/" + segment(id) + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build(),
                Job.class);
    }

    public List<ModelEntry> models() {
        JavaType type = JSON.getTypeFactory().constructCollectionType(List.class, ModelEntry.class);
        return send(authorized("/v1/models").GET().build(), type);
    }

    /**
     * Follows a job's event stream until its terminal event, handing every event to {@code onEvent}.
     * A stream that breaks off before that is resumed after the last event received
     * ({@code Last-Event-ID}), so no event is seen twice or lost.
     *
     * @return the terminal event
     */
    public JobEvent follow(String id, Consumer<JobEvent> onEvent) {
        AtomicReference<String> lastId = new AtomicReference<>();
        AtomicReference<JobEvent> terminal = new AtomicReference<>();
        for (int attempt = 0; attempt <= MAX_RECONNECTS; attempt++) {
            HttpRequest.Builder request = authorized("/v1/jobs/" + segment(id) + "/events")
                    .header("Accept", "text/event-stream").GET();
            if (lastId.get() != null) {
                request.header("Last-Event-ID", lastId.get());
            }
            try {
                HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() >= 300) {
                    String body = response.body().collect(Collectors.joining("\n"));
                    throw error(response.statusCode(), body);
                }
                AtomicBoolean done = new AtomicBoolean();
                SseParser parser = new SseParser(sse -> {
                    if (done.get()) {
                        return;
                    }
                    lastId.set(sse.id());
                    JobEvent event = read(sse.data(), JSON.constructType(JobEvent.class));
                    onEvent.accept(event);
                    if (event.terminal()) {
                        terminal.set(event);
                        done.set(true);
                    }
                });
                try (Stream<String> lines = response.body()) {
                    lines.takeWhile(l -> !done.get()).forEach(parser::line);
                }
                parser.end();
                if (terminal.get() != null) {
                    return terminal.get();
                }
            } catch (IOException e) {
                // the connection broke: resume below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while following job " + id, e);
            }
            pause();
        }
        throw new IllegalStateException("the event stream of job " + id + " kept breaking off; see `stipple jobs`");
    }

    /** Downloads a result through its presigned URL (no API key: the URL is the credential). */
    public void download(String url, Path target) {
        try {
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new ApiException(response.statusCode(), null);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + target.getFileName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + target, e);
        }
    }

    /**
     * Whether the gateway serves its API: {@code /q/openapi} (the public API description, no key needed)
     * answers 200. Its health checks are on its management port, which clients are not meant to reach.
     */
    public boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(settings.url().resolve("/q/openapi")).timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest json(String path, ObjectNode body) {
        try {
            return authorized(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(settings.url() + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + settings.requireKey())
                .header("Accept", "application/json");
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        return send(request, JSON.constructType(type));
    }

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        return read(response.body(), type);
    }

    private static ApiException error(int status, String body) {
        Problem problem = null;
        try {
            problem = body == null || body.isBlank() ? null : JSON.readValue(body, Problem.class);
        } catch (JsonProcessingException e) {
            // not a problem document: the status alone says what happened
        }
        return new ApiException(status, problem);
    }

    private static <T> T read(String body, JavaType type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the gateway sent JSON this CLI cannot read: " + e.getOriginalMessage(), e);
        }
    }

    /** A job id as one path segment: anything else would address another resource. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
