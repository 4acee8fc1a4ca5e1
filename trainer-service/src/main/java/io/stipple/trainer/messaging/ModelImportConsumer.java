package io.stipple.trainer.messaging;

import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.runtime.HeldJobs;
import io.stipple.runtime.JobExecutor;
import io.stipple.trainer.imports.ModelImportJobRunner;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes model-import work items off Kafka, one import at a time per trainer, acknowledged once held
 * like fine-tunes ({@link FineTuneConsumer}). Imports share the trainer's held-job cap with
 * fine-tunes: a trainer busy training takes its next import when the fine-tune ends.
 */
@ApplicationScoped
public class ModelImportConsumer {

    private final JobExecutor<ModelImportWorkItem> executor;

    ModelImportConsumer(HeldJobs held, ModelImportJobRunner runner) {
        this.executor = new JobExecutor<>(ModelImportWorkItem.class, "stipple-import", 1, held, runner);
    }

    @Incoming(Channels.WORK_MODEL_IMPORT)
    public CompletionStage<Void> receive(Message<String> item) {
        return executor.receive(item);
    }

    @PreDestroy
    void shutdown() {
        executor.close();
    }
}
