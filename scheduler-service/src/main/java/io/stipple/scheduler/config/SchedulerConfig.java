package io.stipple.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Everything the scheduler can be tuned with, under {@code scheduler.*}. */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {

    Dispatch dispatch();

    Lease lease();

    Retry retry();

    Publishing publishing();

    interface Dispatch {
        /** How often the dispatcher fills free worker slots from the queue. */
        @WithDefault("1s")
        Duration period();

        /**
         * Most jobs one dispatch transaction takes. A dispatch that took this many runs another transaction at
         * once, until the free slots or the waiting jobs run out: a burst goes out in batches, each committed
         * and relayed while the next is chosen, so its first jobs do not wait for the last one's statements.
         * Larger batches cost fewer transactions per job and make each batch's jobs wait longer for its commit.
         */
        @WithDefault("50")
        int batchSize();

        /**
         * Most generation jobs on the shared topic dispatched and not finished at once (roughly: the
         * shared generation workers' slots); worker pools have their own, {@link #poolInFlight()}.
         */
        @WithDefault("4")
        int generationInFlight();

        /** Most fine-tune jobs dispatched and not finished at once (roughly: trainer slots). */
        @WithDefault("1")
        int finetuneInFlight();

        /** Most model imports dispatched and not finished at once (each unpacks and validates one upload on a trainer). */
        @WithDefault("1")
        int importInFlight();

        /**
         * Deficit round robin credit a tenant of weight 1 gets per turn, in cost units (a generation image
         * is 1). With 1, tenants with unit-cost jobs alternate one job each; larger values let a tenant take
         * several jobs per turn, which serves bursts in runs at the cost of coarser fairness.
         */
        @WithDefault("1")
        int quantum();

        /** Fair-share weight per tenant id; tenants not listed weigh {@link #defaultWeight()}. */
        Map<String, Integer> tenantWeights();

        @WithDefault("1")
        int defaultWeight();

        /**
         * Worker pools per tenant id: the generation work of a listed tenant goes to the pool's topic
         * ({@code Topics.generationPool}), where only that pool's workers consume; unlisted tenants'
         * work goes to the shared generation topic. For tenants with dedicated workers.
         */
        Map<String, String> tenantPools();

        /**
         * Most generation jobs dispatched and not finished at once per worker pool (pool name from
         * {@link #tenantPools()}), counted apart from {@link #generationInFlight()}, which then covers
         * only the shared topic: a pool's jobs use its own slots, so a pool with no live worker holds
         * back only its own tenants. A pool not listed gets {@link #generationInFlight()} slots.
         */
        Map<String, Integer> poolInFlight();
    }

    interface Lease {
        /** How long an attempt may go without a worker event before it is given up. */
        @WithDefault("60s")
        Duration duration();

        /** How often workers are asked to heartbeat; well below {@link #duration()}. */
        @WithDefault("10s")
        Duration heartbeatInterval();

        /** Attempts a job gets; after the last one is lost or fails retryably, it fails and is dead-lettered. */
        @WithDefault("3")
        int maxAttempts();

        /** How often expired leases are looked for. */
        @WithDefault("2s")
        Duration reaperPeriod();
    }

    /** Re-queuing jobs whose attempt failed retryably. */
    interface Retry {
        /** The wait before the first retry; doubled after each further failure of the job, up to the max. */
        @WithDefault("5s")
        Duration initialBackoff();

        /** The longest wait between two attempts; each wait is jittered down to half of it at random. */
        @WithDefault("2m")
        Duration maxBackoff();

        /**
         * Attempts that may be lost to the infrastructure (a worker reports the object store away) before the
         * job fails for good; counted apart from {@code lease.max-attempts}. 20 with the defaults above
         * rides out roughly 20 to 35 minutes of store outage.
         */
        @WithDefault("20")
        int infrastructureAttempts();
    }

    /** Sending to Kafka what a change decided: the outbox relay ({@code messaging/OutboxRelay}). */
    interface Publishing {
        /**
         * How long the relay waits for Kafka's acknowledgement of one message before its round gives up
         * and leaves the row for the next one. The send itself is not abandoned: the producer keeps it and
         * the next round waits for that same send instead of sending a copy. A healthy broker acknowledges
         * in milliseconds; during an outage this is how often the relay looks again.
         */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * The relay's timed round, the safety net: every commit that wrote outbox rows sends them at once
         * (or starts a round), so this only matters for rows a failed send (the broker away), a crash or
         * another replica left.
         */
        @WithDefault("1s")
        Duration relayPeriod();

        /**
         * How old a row must be before the timed round claims it: a younger one is probably being sent by its
         * writer right after its commit ({@code messaging/AfterCommitSender}), maybe in another replica, whose
         * send a round here would copy. Rounds started because rows were left to the relay claim at once.
         */
        @WithDefault("2s")
        Duration directSendGrace();

        /** Outbox rows claimed per round; a full round is followed by another at once. */
        @WithDefault("500")
        int relayBatchSize();

        /**
         * How often the outbox is recounted for the gauges {@code stipple.scheduler.outbox.pending} and
         * {@code stipple.scheduler.outbox.oldest.age} ({@code metrics/OutboxGauges}).
         */
        @WithDefault("15s")
        Duration backlogGaugePeriod();
    }
}
