package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.request.JobRequest;
import io.stipple.scheduler.service.JobRequestService;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the gateway's submissions and cancellations. The returned Uni completes once the change
 * and its outbox rows are committed ({@link RecordHandling}, which also starts the dispatch a new job
 * waits for); only then is the record acknowledged. The record's trace (its consumer
 * span, a child of the gateway's) is stored with a new job.
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
    public Uni<Void> consume(String json) {
        String traceParent = TraceParent.current();
        return decoder.decode(Channels.JOB_REQUESTS, json, JobRequest.class)
                .map(request -> handling.commit(Channels.JOB_REQUESTS, () -> service.handle(request, traceParent)))
                .orElseGet(() -> Uni.createFrom().voidItem());
    }
}
