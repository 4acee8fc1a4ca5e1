package io.stipple.contracts.work;

import io.stipple.contracts.JobMessage;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.JobSpec;
import java.time.Instant;

/**
 * A work item the scheduler leases to one worker: the holder heartbeats at least every
 * {@link #heartbeatIntervalMs()}, or the job is re-dispatched (as a new attempt) after
 * {@link #leaseExpiresAt()}.
 */
public interface LeasedWorkItem extends JobMessage {

    /** What to do, fully resolved. */
    JobSpec spec();

    /** The spec's kind, which decides the work topic and so the workers that take the item (not a JSON property). */
    default JobKind kind() {
        return spec().kind();
    }

    long heartbeatIntervalMs();

    Instant leaseExpiresAt();
}
