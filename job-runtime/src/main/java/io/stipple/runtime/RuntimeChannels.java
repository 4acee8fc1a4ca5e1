package io.stipple.runtime;

/**
 * Reactive messaging channels this library uses; a service using it configures both in its
 * application.properties (topics from contracts' Topics): {@value #JOBS_CONTROL} as an incoming
 * channel with a consumer group of its own per process (every process reads every control
 * message), {@value #JOBS_EVENTS} as an outgoing channel with a String key serializer.
 */
public final class RuntimeChannels {

    public static final String JOBS_CONTROL = "jobs-control";
    public static final String JOBS_EVENTS = "jobs-events";

    private RuntimeChannels() {
    }
}
