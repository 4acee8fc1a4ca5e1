package io.stipple.scheduler.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.repository.QueueDepth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The scheduler's Prometheus meters, all named {@code stipple.scheduler.*}. */
@ApplicationScoped
public class SchedulerMetrics {

    private final MeterRegistry registry;
    private final Map<JobKind, Map<Priority, AtomicLong>> queueDepth = new EnumMap<>(JobKind.class);
    private final Map<JobKind, AtomicLong> inFlight = new EnumMap<>(JobKind.class);

    public SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobKind kind : JobKind.values()) {
            Map<Priority, AtomicLong> byPriority = new EnumMap<>(Priority.class);
            for (Priority priority : Priority.values()) {
                AtomicLong depth = new AtomicLong();
                byPriority.put(priority, depth);
                Gauge.builder("stipple.scheduler.queue.depth", depth, AtomicLong::get)
                        .description("Jobs waiting for dispatch")
                        .tag("kind", tag(kind)).tag("priority", tag(priority))
                        .register(registry);
            }
            queueDepth.put(kind, byPriority);
            AtomicLong leased = new AtomicLong();
            inFlight.put(kind, leased);
            Gauge.builder("stipple.scheduler.in.flight", leased, AtomicLong::get)
                    .description("Jobs dispatched and not finished")
                    .tag("kind", tag(kind))
                    .register(registry);
        }
    }

    /** Replaces the queue depth gauges with a fresh count; classes absent from it have nothing waiting. */
    public void queueDepths(List<QueueDepth> depths) {
        queueDepth.values().forEach(byPriority -> byPriority.values().forEach(depth -> depth.set(0)));
        depths.forEach(depth -> queueDepth.get(depth.kind()).get(depth.priority()).set(depth.waiting()));
    }

    public void inFlight(JobKind kind, long count) {
        inFlight.get(kind).set(count);
    }

    public void transition(StatusTrigger trigger) {
        registry.counter("stipple.scheduler.transitions", "trigger", tag(trigger)).increment();
    }

    /**
     * A job finished: the time from its submission (accepted by the gateway) to its terminal state,
     * with histogram buckets for the dashboard's latency quantiles.
     */
    public void finished(JobKind kind, JobState outcome, Duration sinceSubmission) {
        Timer.builder("stipple.scheduler.job.duration")
                .description("Jobs from submission to a terminal state")
                .tag("kind", tag(kind)).tag("outcome", tag(outcome))
                .publishPercentileHistogram()
                .register(registry)
                .record(sinceSubmission);
    }

    public void dispatched(JobKind kind) {
        registry.counter("stipple.scheduler.dispatched", "kind", tag(kind)).increment();
    }

    public void leaseExpired(JobKind kind) {
        registry.counter("stipple.scheduler.lease.expiries", "kind", tag(kind)).increment();
    }

    public void ignored(String input) {
        registry.counter("stipple.scheduler.inputs.ignored", "input", input).increment();
    }

    public void rejected(String channel) {
        registry.counter("stipple.scheduler.messages.rejected", "channel", channel).increment();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
