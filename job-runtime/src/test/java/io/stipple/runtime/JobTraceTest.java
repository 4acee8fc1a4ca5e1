package io.stipple.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.work.GenerationWorkItem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job keeps the trace its work item arrived in: events sent from any thread (the heartbeat
 * thread included) and the runner's thread carry it, whatever is current there.
 */
class JobTraceTest {

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    /** Event type and sequence -> the trace id current when the sink received it. */
    private final Map<String, String> traceOfEvent = new ConcurrentHashMap<>();
    private final JobReporter reporter = new JobReporter(event -> traceOfEvent.put(
            event.getClass().getSimpleName() + "#" + event.sequence(), Span.current().getSpanContext().getTraceId()),
            new WorkerIdentity("w-1"), Duration.ofSeconds(30));
    private final HeldJobs held = new HeldJobs(reporter, 32, Duration.ofMillis(10), Duration.ofMinutes(1));

    @AfterEach
    void stop() {
        held.close();
    }

    @Test
    void eventsFromEveryThreadAndTheRunnerThreadCarryTheTraceTheItemArrivedIn() throws Exception {
        CompletableFuture<String> runnerTrace = new CompletableFuture<>();
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test-runner", 1, held,
                job -> {
                    runnerTrace.complete(Span.current().getSpanContext().getTraceId());
                    reporter.running(job);
                    await().atMost(Duration.ofSeconds(30)).until(() -> traceOfEvent.keySet().stream()
                            .anyMatch(key -> key.startsWith(JobHeartbeat.class.getSimpleName())));
                    reporter.succeeded(job, List.of(), null, Map.of());
                })) {
            try (Scope ignored = consumerSpan().makeCurrent()) {
                executor.receive(Message.of(new String(ContractsJson.write(item(20)), StandardCharsets.UTF_8)));
            }
            assertEquals(TRACE_ID, runnerTrace.get(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(30)).until(() -> traceOfEvent.keySet().stream()
                    .anyMatch(key -> key.startsWith("JobSucceeded")));
        }
        assertTrue(traceOfEvent.size() >= 3, traceOfEvent::toString);
        traceOfEvent.forEach((event, trace) -> assertEquals(TRACE_ID, trace, event + " left the job's trace"));
    }

    @Test
    void anItemThatArrivedUntracedSendsItsEventsUntraced() {
        HeldJob<GenerationWorkItem> job = held.hold(item(60_000)).orElseThrow();
        try (Scope ignored = consumerSpan().makeCurrent()) {
            reporter.running(job);
        }
        // #1 is the heartbeat of the receipt (HeldJobs.hold).
        assertEquals(Map.of("JobHeartbeat#1", SpanContext.getInvalid().getTraceId(),
                "JobRunning#2", SpanContext.getInvalid().getTraceId()), traceOfEvent);
    }

    /** What the Kafka consumer's span looks like to the code it calls. */
    private static Context consumerSpan() {
        return Context.root().with(Span.wrap(SpanContext.create(TRACE_ID, "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault())));
    }

    private static GenerationWorkItem item(long heartbeatMs) {
        GenerationSpec spec = new GenerationSpec("a red circle", "", 1, 1, Sampler.DDIM, null, 4, 3.0, 0.0, null, null, null,
                null, null, ModelRef.parse("tiny@1"), null, null, null);
        return new GenerationWorkItem(SchemaVersion.CURRENT, UUID.randomUUID(), "acme", 1, 1, Instant.now(), spec,
                "results/acme/x/", heartbeatMs, Instant.now().plusSeconds(60));
    }
}
