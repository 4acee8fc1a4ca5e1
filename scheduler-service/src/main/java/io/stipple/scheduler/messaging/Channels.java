package io.stipple.scheduler.messaging;

/** Reactive Messaging channel names (topics are set in application.properties from {@code Topics}). */
public final class Channels {

    public static final String JOB_REQUESTS = "job-requests";
    public static final String JOB_EVENTS = "job-events";
    public static final String JOB_STATUS = "job-status";
    public static final String WORK_GENERATION = "work-generation";
    public static final String WORK_FINETUNE = "work-finetune";
    public static final String WORK_MODEL_IMPORT = "work-model-import";
    public static final String JOB_CONTROL = "job-control";
    public static final String WORK_DEAD_LETTER = "work-dead-letter";

    private Channels() {
    }
}
