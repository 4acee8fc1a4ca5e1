package io.stipple.runtime;

import io.stipple.contracts.event.JobEvent;

/** Where job events go: Kafka in a service ({@link EventPublisher}), a list in a unit test. */
@FunctionalInterface
public interface EventSink {

    void publish(JobEvent event);
}
