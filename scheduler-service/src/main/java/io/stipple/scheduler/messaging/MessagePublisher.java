package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.work.LeasedWorkItem;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a {@link Publication} to Kafka after its transaction committed, keyed by job id, and completes
 * only when Kafka acknowledged every message: a caller acks its incoming message after that, so a
 * crash in between leads to redelivery and a republish, never to a lost message. A message that
 * names its job's trace continues it (a work item sent from the dispatch loop, which has none).
 * Each message waits at most {@code scheduler.publishing.send-timeout} for its acknowledgement: with the
 * broker away, a publication fails within that time (a {@link SendTimeoutException}) instead of waiting
 * for the broker, and the caller retries it ({@link RecordHandling}); the message already handed to
 * the producer may still arrive later, a copy the consumers drop.
 */
@ApplicationScoped
public class MessagePublisher {

    @Inject
    @Channel(Channels.JOB_STATUS)
    MutinyEmitter<String> status;
    @Inject
    @Channel(Channels.WORK_GENERATION)
    MutinyEmitter<String> generationWork;
    @Inject
    @Channel(Channels.WORK_FINETUNE)
    MutinyEmitter<String> fineTuneWork;
    @Inject
    @Channel(Channels.WORK_MODEL_IMPORT)
    MutinyEmitter<String> modelImportWork;
    @Inject
    @Channel(Channels.JOB_CONTROL)
    MutinyEmitter<String> control;
    @Inject
    @Channel(Channels.WORK_DEAD_LETTER)
    MutinyEmitter<String> deadLetter;
    @Inject
    WorkRouting routing;
    @Inject
    SchedulerConfig config;

    public Uni<Void> publish(Publication publication) {
        return Multi.createFrom().iterable(publication.messages())
                .onItem().transformToUniAndConcatenate(this::send)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> send(Publication.Outgoing outgoing) {
        JobMessage message = outgoing.message();
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata
                .<String>builder().withKey(message.jobId().toString());
        if (outgoing.destination() == Publication.Destination.WORK) {
            routing.poolTopic(workItem(outgoing)).ifPresent(metadata::withTopic);
        }
        Message<String> record = Message.of(new String(ContractsJson.write(message), StandardCharsets.UTF_8))
                .addMetadata(metadata.build());
        if (outgoing.traceParent() != null) {
            record = record.addMetadata(TracingMetadata.withCurrent(TraceParent.context(outgoing.traceParent())));
        }
        Duration timeout = config.publishing().sendTimeout();
        return emitterFor(outgoing).sendMessage(record)
                .ifNoItem().after(timeout).failWith(() -> new SendTimeoutException(outgoing, timeout));
    }

    private MutinyEmitter<String> emitterFor(Publication.Outgoing outgoing) {
        return switch (outgoing.destination()) {
            case STATUS -> status;
            case WORK -> workEmitter(workItem(outgoing).kind());
            case CONTROL -> control;
            case DEAD_LETTER -> deadLetter;
        };
    }

    /** The shared work topic of a kind; no default, so a new kind fails to compile here until it has one. */
    private MutinyEmitter<String> workEmitter(JobKind kind) {
        return switch (kind) {
            case GENERATION -> generationWork;
            case FINETUNE -> fineTuneWork;
            case MODEL_IMPORT -> modelImportWork;
        };
    }

    /** The message of a WORK destination, which {@link Publication#work} only takes as a leased work item. */
    private static LeasedWorkItem workItem(Publication.Outgoing outgoing) {
        return (LeasedWorkItem) outgoing.message();
    }
}
