package io.stipple.trainer.messaging;

import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.runtime.HeldJobs;
import io.stipple.runtime.JobExecutor;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.FineTuneJobRunner;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes fine-tune work items off Kafka and hands them to the training threads, acknowledged once
 * held (a fine-tune runs for minutes to hours, far beyond any poll interval; the scheduler's lease,
 * kept alive by heartbeats, recovers the job of a trainer that dies). A trainer holds at most
 * {@code stipple.runtime.max-held-jobs} attempts: beyond that the stage completes only when one
 * ends, and the connector pauses meanwhile, so items wait in Kafka rather than inside a busy trainer.
 */
@ApplicationScoped
public class FineTuneConsumer {

    private final JobExecutor<FineTuneWorkItem> executor;

    FineTuneConsumer(HeldJobs held, FineTuneJobRunner runner, TrainerConfig config) {
        this.executor = new JobExecutor<>(FineTuneWorkItem.class, "stipple-training", config.concurrency(), held, runner);
    }

    @Incoming(Channels.WORK_FINETUNE)
    public CompletionStage<Void> receive(Message<String> item) {
        return executor.receive(item);
    }

    @PreDestroy
    void shutdown() {
        executor.close();
    }
}
