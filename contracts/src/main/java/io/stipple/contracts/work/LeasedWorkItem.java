package io.stipple.contracts.work;

import io.stipple.contracts.JobMessage;
import java.time.Instant;

/**
 * A work item the scheduler leases to one worker: the holder heartbeats at least every
 * {@link #heartbeatIntervalMs()}, or the job is re-dispatched (as a new attempt) after
 * {@link #leaseExpiresAt()}.
 */
public interface LeasedWorkItem extends JobMessage {

    long heartbeatIntervalMs();

    Instant leaseExpiresAt();
}
