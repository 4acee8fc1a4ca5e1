package io.stipple.worker.messaging;

import io.stipple.worker.batching.SamplingThreads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes generation work items off Kafka and hands them to the sampling threads: acknowledged on
 * receipt (their offsets committed then: job-runtime's {@code ReceiptCommit}), so a long job never
 * stalls the poll loop into a rebalance (see job-runtime's {@code JobExecutor} for the whole argument). When the worker already holds its maximum of jobs,
 * the returned stage completes only once one finishes; meanwhile the connector pauses the
 * partitions and goes on polling, so the group sees a live member and nothing is redelivered.
 */
@ApplicationScoped
public class WorkItemConsumer {

    private final SamplingThreads sampling;

    WorkItemConsumer(SamplingThreads sampling) {
        this.sampling = sampling;
    }

    @Incoming(Channels.WORK_GENERATION)
    public CompletionStage<Void> receive(Message<String> item) {
        return sampling.receive(item);
    }
}
