package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.event.JobEvent;
import io.stipple.scheduler.service.WorkerEventService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes workers' events, a poll's worth at a time (the channel is in batch mode): the readable ones are
 * applied in one transaction ({@link RecordHandling}); the returned Uni completes once that committed, and
 * only then is the batch acknowledged. An unreadable record is skipped ({@link InboundDecoder}).
 */
@ApplicationScoped
public class WorkerEventConsumer {

    private final InboundDecoder decoder;
    private final WorkerEventService service;
    private final RecordHandling handling;

    public WorkerEventConsumer(InboundDecoder decoder, WorkerEventService service, RecordHandling handling) {
        this.decoder = decoder;
        this.service = service;
        this.handling = handling;
    }

    @Incoming(Channels.JOB_EVENTS)
    public Uni<Void> consume(List<String> values) {
        List<JobEvent> events = values.stream()
                .map(json -> decoder.decode(Channels.JOB_EVENTS, json, JobEvent.class))
                .flatMap(Optional::stream)
                .toList();
        return handling.commitAll(Channels.JOB_EVENTS, events, service::applyAll);
    }
}
