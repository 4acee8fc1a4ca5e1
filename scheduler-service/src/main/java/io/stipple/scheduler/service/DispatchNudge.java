package io.stipple.scheduler.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.scheduler.messaging.Publication;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Runs a dispatch as soon as a committed change can unblock one (a job queued, a slot freed), so a job
 * does not sit out the rest of the dispatcher's period. The timed round stays as the safety net: a
 * nudge that fails or finds the dispatch lock taken changes nothing that the next round would not do,
 * so its failure is logged, never passed on to the message being handled.
 */
@ApplicationScoped
public class DispatchNudge {

    private static final Logger LOG = Logger.getLogger(DispatchNudge.class);

    private final Dispatcher dispatcher;

    public DispatchNudge(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Dispatches every kind the published change may have unblocked; never fails. */
    public Uni<Void> after(Publication published) {
        return Multi.createFrom().iterable(published.kindsToDispatch())
                .onItem().transformToUniAndConcatenate(kind -> dispatcher.dispatch(kind)
                        .onFailure().recoverWithUni(failure -> {
                            LOG.debugf(failure, "dispatch of %s after a change failed; the next round retries", kind);
                            return Uni.createFrom().voidItem();
                        }))
                .collect().last()
                .replaceWithVoid();
    }
}
