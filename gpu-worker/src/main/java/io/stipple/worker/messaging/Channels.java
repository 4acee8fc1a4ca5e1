package io.stipple.worker.messaging;

/** Reactive messaging channel names (topics are set in application.properties from contracts' Topics). */
public final class Channels {

    public static final String WORK_GENERATION = "work-generation";
    public static final String JOBS_CONTROL = "jobs-control";
    public static final String JOBS_EVENTS = "jobs-events";

    private Channels() {
    }
}
