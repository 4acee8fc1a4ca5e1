package io.stipple.worker.messaging;

/** Reactive messaging channel names (topics are set in application.properties from contracts' Topics); job-runtime's are in RuntimeChannels. */
public final class Channels {

    public static final String WORK_GENERATION = "work-generation";

    private Channels() {
    }
}
