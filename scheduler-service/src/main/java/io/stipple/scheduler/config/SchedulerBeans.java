package io.stipple.scheduler.config;

import io.stipple.consumer.RetryBackoff;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.LifecycleRules;
import io.stipple.scheduler.policy.DeficitRoundRobinPolicy;
import io.stipple.scheduler.policy.DispatchPlanner;
import io.stipple.scheduler.policy.DispatchSlots;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/** Builds the scheduler's pure parts from its configuration (singletons: they are final, so not proxied). */
@ApplicationScoped
public class SchedulerBeans {

    @Produces
    @Singleton
    Clock clock() {
        // Microseconds, as Postgres stores them: an instant read back equals the one written.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    @Produces
    @Singleton
    JobLifecycle lifecycle(SchedulerConfig config) {
        if (config.lease().heartbeatInterval().compareTo(config.lease().duration()) >= 0) {
            throw new IllegalArgumentException("scheduler.lease.heartbeat-interval (" + config.lease().heartbeatInterval()
                    + ") must be shorter than scheduler.lease.duration (" + config.lease().duration()
                    + "), or every lease expires between two heartbeats");
        }
        SchedulerConfig.Retry retry = config.retry();
        return new JobLifecycle(new LifecycleRules(config.lease().duration(), config.lease().maxAttempts(),
                retry.infrastructureAttempts(),
                new RetryBackoff(retry.initialBackoff(), retry.maxBackoff(), new SplittableRandom())));
    }

    @Produces
    @Singleton
    DispatchSlots dispatchSlots(SchedulerConfig config) {
        SchedulerConfig.Dispatch dispatch = config.dispatch();
        return new DispatchSlots(dispatch.generationInFlight(), dispatch.finetuneInFlight(), dispatch.importInFlight(),
                dispatch.tenantPools(),
                dispatch.poolInFlight());
    }

    /** A new planner (fairness state included); the dispatcher keeps one per slot group. */
    public static DispatchPlanner planner(SchedulerConfig.Dispatch config) {
        return new DispatchPlanner(priority -> new DeficitRoundRobinPolicy(config.quantum(),
                tenant -> config.tenantWeights().getOrDefault(tenant, config.defaultWeight())));
    }
}
