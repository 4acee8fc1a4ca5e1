package io.stipple.scheduler.service;

import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.messaging.Publication;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts a dispatch as soon as a committed change can unblock one (a job queued, a slot freed), so a job
 * does not sit out the rest of the dispatcher's period. It does not wait for the dispatch: the caller (a
 * consumer, the lease reaper) goes on with its next input while the dispatch runs on a context of its own,
 * and the changes committed meanwhile are dispatched together by the dispatch's next run ({@link Dispatcher}
 * coalesces the requests). A consumer used to acknowledge its record only after the dispatch, so every
 * record paid a second transaction in line and a burst was dispatched one job per transaction. The timed
 * round stays as the safety net: a nudge that fails or finds the dispatch lock taken changes nothing that
 * the next round would not do, so its failure is logged, never passed on.
 */
@ApplicationScoped
public class DispatchNudge {

    private static final Logger LOG = Logger.getLogger(DispatchNudge.class);

    private final Dispatcher dispatcher;
    private final OwnContext context;

    public DispatchNudge(Dispatcher dispatcher, OwnContext context) {
        this.dispatcher = dispatcher;
        this.context = context;
    }

    /** Starts a dispatch of every kind the published change may have unblocked; returns at once, never fails. */
    public void after(Publication published) {
        after(published.kindsToDispatch());
    }

    /** Starts a dispatch of each of the kinds; returns at once, never fails. */
    public void after(Set<JobKind> kinds) {
        for (JobKind kind : kinds) {
            context.start(() -> dispatcher.dispatch(kind),
                    failure -> LOG.debugf(failure, "dispatch of %s after a change failed; the next round retries", kind));
        }
    }
}
