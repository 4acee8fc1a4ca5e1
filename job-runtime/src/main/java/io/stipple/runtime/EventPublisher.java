package io.stipple.runtime;

import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.event.JobEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends job events to channel {@value RuntimeChannels#JOBS_EVENTS}, keyed by job id so one job's
 * events stay in order, each in the trace current on the sending thread (the job's: {@link JobReporter}).
 */
@ApplicationScoped
public class EventPublisher implements EventSink {

    @Inject
    @Channel(RuntimeChannels.JOBS_EVENTS)
    Emitter<String> events;

    @Override
    public void publish(JobEvent event) {
        String json = new String(ContractsJson.write(event), StandardCharsets.UTF_8);
        events.send(Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.jobId().toString()).build())
                // Named explicitly: the emitter may hand the message on from another thread.
                .addMetadata(TracingMetadata.withCurrent(Context.current())));
    }
}
