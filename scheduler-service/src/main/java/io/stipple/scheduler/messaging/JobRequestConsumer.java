package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.request.JobRequest;
import io.stipple.scheduler.service.JobRequestService;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the gateway's submissions and cancellations. The returned Uni completes once the change
 * is committed and its messages are on Kafka; only then is the record acknowledged. The record's
 * trace (its consumer span, a child of the gateway's) is stored with a new job.
 */
@ApplicationScoped
public class JobRequestConsumer {

    private final InboundDecoder decoder;
    private final JobRequestService service;
    private final MessagePublisher publisher;
    private final TransientFailureRetry retry;

    public JobRequestConsumer(InboundDecoder decoder, JobRequestService service, MessagePublisher publisher,
            TransientFailureRetry retry) {
        this.decoder = decoder;
        this.service = service;
        this.publisher = publisher;
        this.retry = retry;
    }

    @Incoming(Channels.JOB_REQUESTS)
    public Uni<Void> consume(String json) {
        String traceParent = TraceParent.current();
        return decoder.decode(Channels.JOB_REQUESTS, json, JobRequest.class)
                .map(request -> retry.retry(Uni.createFrom().deferred(() -> service.handle(request, traceParent)
                        .flatMap(publisher::publish))))
                .orElseGet(() -> Uni.createFrom().voidItem());
    }
}
