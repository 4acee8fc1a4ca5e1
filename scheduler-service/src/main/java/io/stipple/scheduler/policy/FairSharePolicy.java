package io.stipple.scheduler.policy;

import java.util.Collection;
import java.util.Optional;

/**
 * Decides, within one priority class, which tenant's job is dispatched next, so that one tenant's
 * burst does not starve the others. One instance serves one (kind, priority class) queue; it may keep
 * state between calls and assumes that the job it returns is dispatched.
 */
public interface FairSharePolicy {

    /**
     * @param heads the oldest waiting job of every tenant that has work waiting in this class, at most
     *              one per tenant
     * @return one of {@code heads}, or empty when {@code heads} is empty
     */
    Optional<WaitingJob> pick(Collection<WaitingJob> heads);
}
