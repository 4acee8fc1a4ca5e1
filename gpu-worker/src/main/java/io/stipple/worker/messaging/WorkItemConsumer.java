package io.stipple.worker.messaging;

import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.runtime.WorkItems;
import io.stipple.worker.batching.SamplingThreads;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes generation work items off Kafka and hands them to the sampling threads, returning at once:
 * acknowledged on receipt, so a long job never stalls the poll loop into a rebalance (see
 * job-runtime's {@code JobExecutor} for the whole argument).
 */
@ApplicationScoped
public class WorkItemConsumer {

    private final SamplingThreads sampling;

    WorkItemConsumer(SamplingThreads sampling) {
        this.sampling = sampling;
    }

    @Incoming(Channels.WORK_GENERATION)
    public void receive(String json) {
        WorkItems.read(json, GenerationWorkItem.class).ifPresent(sampling::accept);
    }
}
