package io.stipple.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the job runtime ({@code stipple.runtime.*}), shared by every job-running service. */
@ConfigMapping(prefix = "stipple.runtime")
public interface RuntimeConfig {

    /** Names this process in job events and heartbeats; the host name when unset (one worker per container). */
    Optional<String> workerId();

    /**
     * Most attempts this process holds at once (queued inside it or running). Work items beyond it
     * stay unacknowledged until one finishes: the work consumer pauses its partitions (it keeps
     * polling, so the group does not rebalance) and other workers of the group take the rest. Keep
     * the scheduler's in-flight limit near the sum over workers, or items wait past their leases.
     */
    @WithDefault("32")
    int maxHeldJobs();

    /** How often held jobs are checked for a due heartbeat (each job's interval comes with its work item). */
    @WithDefault("500ms")
    Duration heartbeatCheckPeriod();

    /**
     * How long a cancel for an attempt this process does not hold is remembered: the control topic
     * and the work topic are separate, so a cancel can overtake its own work item.
     */
    @WithDefault("10m")
    Duration earlyCancelMemory();

    /**
     * How long a job's end (succeeded, failed, canceled) waits for its work item's offset to be committed
     * before it is reported anyway: longer than a broker's usual hiccup, short enough that a finished job
     * is not left to its lease's expiry while the broker is away (the event's own send fails then too).
     */
    @WithDefault("30s")
    Duration receiptPatience();
}
