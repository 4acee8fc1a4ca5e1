package io.stipple.worker.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.stipple.worker.batching.SamplingThreads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes generation work items off Kafka a poll at a time (the channel is in batch mode) and hands
 * them to the sampling threads, which then know when the last item of the poll is queued: a batch
 * starts once nothing more of its poll is coming. Each item is acknowledged on its own when it is
 * held (its offset committed then: job-runtime's {@code ReceiptCommit}), so a long job never stalls
 * the poll loop into a rebalance (see job-runtime's {@code JobExecutor} for the whole argument). When
 * the worker already holds its maximum of jobs, the returned stage completes only once enough end; meanwhile the connector pauses the
 * partitions and goes on polling, so the group sees a live member and nothing is redelivered.
 */
@ApplicationScoped
public class WorkItemConsumer {

    private final SamplingThreads sampling;

    WorkItemConsumer(SamplingThreads sampling) {
        this.sampling = sampling;
    }

    @Incoming(Channels.WORK_GENERATION)
    public CompletionStage<Void> receive(KafkaRecordBatch<String, String> poll) {
        return sampling.receive(poll.getRecords());
    }
}
