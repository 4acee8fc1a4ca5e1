package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.stipple.scheduler.repository.OutboxMessageEntity;
import io.stipple.tracing.TraceParent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends one outbox row to Kafka as stored, keyed by job id, and completes when Kafka acknowledged it
 * (fails when the producer gave it up). A row that names its job's trace continues it: the record's
 * producer span is a child of the job's, not of the relay round that happens to send it.
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

    private Map<String, MutinyEmitter<String>> byChannel;

    public Uni<Void> send(OutboxMessageEntity row) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata
                .<String>builder().withKey(row.jobId.toString());
        if (row.topic != null) {
            metadata.withTopic(row.topic);
        }
        Message<String> record = Message.of(row.payload).addMetadata(metadata.build());
        if (row.traceParent != null) {
            record = record.addMetadata(TracingMetadata.withCurrent(TraceParent.context(row.traceParent)));
        }
        return emitter(row.channel).sendMessage(record);
    }

    @PostConstruct
    void indexByChannel() {
        byChannel = Map.of(Channels.JOB_STATUS, status, Channels.WORK_GENERATION, generationWork,
                Channels.WORK_FINETUNE, fineTuneWork, Channels.WORK_MODEL_IMPORT, modelImportWork,
                Channels.JOB_CONTROL, control, Channels.WORK_DEAD_LETTER, deadLetter);
    }

    private MutinyEmitter<String> emitter(String channel) {
        MutinyEmitter<String> emitter = byChannel.get(channel);
        if (emitter == null) {
            throw new IllegalStateException("outbox row names no channel of this scheduler: " + channel);
        }
        return emitter;
    }
}
