package io.stipple.worker.messaging;

import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.runtime.HeldJobs;
import io.stipple.runtime.JobExecutor;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.worker.service.GenerationJobRunner;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes generation work items off Kafka and hands them to the sampling threads, returning at once
 * (acknowledged on receipt; see {@link JobExecutor} for why that is safe with long jobs).
 */
@ApplicationScoped
public class WorkItemConsumer {

    private final JobExecutor<GenerationWorkItem> executor;

    WorkItemConsumer(HeldJobs held, GenerationJobRunner runner, WorkerConfig config) {
        this.executor = new JobExecutor<>(GenerationWorkItem.class, "stipple-sampling", config.concurrency(), held,
                runner);
    }

    @Incoming(Channels.WORK_GENERATION)
    public void receive(String json) {
        executor.receive(json);
    }

    @PreDestroy
    void shutdown() {
        executor.close();
    }
}
