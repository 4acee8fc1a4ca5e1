package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.contracts.event.JobEvent;
import io.stipple.scheduler.service.DispatchNudge;
import io.stipple.scheduler.service.WorkerEventService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes workers' events. The returned Uni completes once the change is committed and its
 * messages are on Kafka; only then is the record acknowledged.
 */
@ApplicationScoped
public class WorkerEventConsumer {

    private final InboundDecoder decoder;
    private final WorkerEventService service;
    private final MessagePublisher publisher;
    private final ConsumerRetry retry;
    private final DispatchNudge nudge;

    public WorkerEventConsumer(InboundDecoder decoder, WorkerEventService service, MessagePublisher publisher,
            ConsumerRetry retry, DispatchNudge nudge) {
        this.decoder = decoder;
        this.service = service;
        this.publisher = publisher;
        this.retry = retry;
        this.nudge = nudge;
    }

    @Incoming(Channels.JOB_EVENTS)
    public Uni<Void> consume(String json) {
        return decoder.decode(Channels.JOB_EVENTS, json, JobEvent.class)
                .map(event -> retry.untilHandled(Channels.JOB_EVENTS, () -> service.handle(event)
                        .call(publisher::publish)
                        .flatMap(nudge::after)))
                .orElseGet(() -> Uni.createFrom().voidItem());
    }
}
