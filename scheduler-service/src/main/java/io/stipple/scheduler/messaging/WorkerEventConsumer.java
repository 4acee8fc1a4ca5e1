package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.event.JobEvent;
import io.stipple.scheduler.service.WorkerEventService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes workers' events. The returned Uni completes once the change and its outbox rows are
 * committed ({@link RecordHandling}); only then is the record acknowledged.
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
    public Uni<Void> consume(String json) {
        return decoder.decode(Channels.JOB_EVENTS, json, JobEvent.class)
                .map(event -> handling.commit(Channels.JOB_EVENTS, () -> service.handle(event)))
                .orElseGet(() -> Uni.createFrom().voidItem());
    }
}
