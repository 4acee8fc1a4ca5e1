package io.stipple.runtime;

import io.stipple.contracts.work.LeasedWorkItem;

/**
 * Runs one held job to its end on the calling thread and reports exactly one terminal event
 * through {@link JobReporter} (checking {@link HeldJob#canceled()} between steps).
 */
@FunctionalInterface
public interface JobRunner<W extends LeasedWorkItem> {

    void run(HeldJob<W> job);
}
