package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.stipple.contracts.request.JobRequest;
import io.stipple.scheduler.service.JobRequestService;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the gateway's submissions and cancellations, a poll's worth at a time (the channel is in batch
 * mode): the readable ones are applied in one transaction ({@link RecordHandling}, which also starts the
 * dispatch the new jobs wait for), and the batch is acknowledged only once that committed. Each record's trace
 * (its consumer span, a child of the gateway's) is stored with its new job. An unreadable record is skipped
 * ({@link InboundDecoder}).
 */
@ApplicationScoped
public class JobRequestConsumer {

    private final InboundDecoder decoder;
    private final JobRequestService service;
    private final RecordHandling handling;

    public JobRequestConsumer(InboundDecoder decoder, JobRequestService service, RecordHandling handling) {
        this.decoder = decoder;
        this.service = service;
        this.handling = handling;
    }

    @Incoming(Channels.JOB_REQUESTS)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<JobRequestService.Received> requests = batch.getRecords().stream()
                .flatMap(record -> decoder.decode(Channels.JOB_REQUESTS, record.getPayload(), JobRequest.class)
                        .map(request -> new JobRequestService.Received(request, traceOf(record)))
                        .stream())
                .toList();
        return handling.commitAll(Channels.JOB_REQUESTS, requests, service::applyAll)
                .chain(() -> Uni.createFrom().completionStage(batch::ack));
    }

    /** The record's consumer span (the connector gives each record of a batch one), or null when untraced. */
    private static String traceOf(KafkaRecord<String, String> record) {
        Optional<TracingMetadata> tracing = TracingMetadata.fromMessage(record);
        return tracing.map(TracingMetadata::getCurrentContext).map(TraceParent::of).orElse(null);
    }
}
