package io.stipple.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.OutboxRow;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;

/**
 * Publishes one outbox row to Kafka, keyed by job id, and completes when Kafka acknowledged it. The
 * record continues the trace of the request that wrote the row: its producer span is a child of that
 * request's span, not of the relay round that happens to send it.
 */
@ApplicationScoped
public class JobRequestPublisher {

    /** Channel name, shared with the configuration and the tests. */
    public static final String CHANNEL = "job-requests";

    private final MutinyEmitter<String> emitter;
    private final Duration timeout;

    /*
     * Unbounded: the relay bounds what it sends (rounds in flight x batch size); a bounded buffer (128 by default)
     * beyond the connector's in-flight limit (1,024) would fail sends of a large round instead of queueing them.
     */
    public JobRequestPublisher(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<String> emitter,
            GatewayConfig config) {
        this.emitter = emitter;
        this.timeout = config.outbox().sendTimeout();
    }

    public Uni<Void> publish(OutboxRow row) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic())
                .withKey(row.jobId().toString())
                .build();
        Message<String> message = Message.of(row.payload()).addMetadata(metadata)
                .addMetadata(TracingMetadata.withCurrent(TraceParent.context(row.traceParent())));
        return emitter.sendMessage(message)
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException(
                        "Kafka did not acknowledge within " + timeout));
    }
}
