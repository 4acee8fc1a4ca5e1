package io.stipple.trainer.messaging;

/** Reactive messaging channel names of trainer-service (topics: contracts' Topics; see application.properties). */
public final class Channels {

    /** Fine-tune work items from the scheduler. */
    public static final String WORK_FINETUNE = "work-finetune";

    /** Model-import work items from the scheduler. */
    public static final String WORK_MODEL_IMPORT = "work-model-import";

    private Channels() {
    }
}
