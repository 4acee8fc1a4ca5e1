package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.messaging.Publication;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Commits a consumer's change together with the dispatch it unblocked, when that can be had without waiting: in
 * the change's transaction, after its records are applied, one {@link Dispatcher#dispatchHeld batch} of each kind
 * the change may have unblocked whose dispatch is free (not running in this process, its lock not held by another
 * replica). A lone job on a free slot is so queued and dispatched in one commit, instead of a commit, a nudge and a
 * dispatch transaction of its own; and the change's and the dispatch's log lines and messages are written together,
 * with one statement. When the dispatch is busy, the kind is left to {@link DispatchNudge} after the
 * commit, as before; the running dispatch (or the one the hold's release starts) runs again for it.
 */
@ApplicationScoped
public class DispatchInTransaction {

    private final Dispatcher dispatcher;
    private final TransitionRecorder recorder;

    public DispatchInTransaction(Dispatcher dispatcher, TransitionRecorder recorder) {
        this.dispatcher = dispatcher;
        this.recorder = recorder;
    }

    /**
     * What a change and its dispatch committed.
     *
     * @param published  the messages written to the outbox: the change's, then the dispatched jobs' work items
     * @param toDispatch the kinds a dispatch run should still look at after the commit
     */
    public record Committed(Publication published, Set<JobKind> toDispatch) {
    }

    /**
     * Runs {@code change} in a transaction, then the dispatch, then stores the transitions of both (their log
     * lines and their messages with one statement) and commits.
     *
     * @param change applies a batch in the caller's transaction and returns its transitions, not yet stored
     */
    public Uni<Committed> commit(Supplier<Uni<Transitions>> change) {
        Set<JobKind> held = ConcurrentHashMap.newKeySet();
        return Panache.withTransaction(() -> change.get().flatMap(transitions -> dispatchUnblocked(transitions, held)))
                .onTermination().invoke(() -> held.forEach(dispatcher::release));
    }

    private Uni<Committed> dispatchUnblocked(Transitions transitions, Set<JobKind> held) {
        Set<JobKind> kinds = transitions.publication.kindsToDispatch();
        Set<JobKind> toDispatch = EnumSet.noneOf(JobKind.class);
        if (kinds.isEmpty()) {
            return store(transitions, toDispatch);
        }
        // The change's rows first, so that the dispatch's queries see its new and changed jobs.
        return Panache.getSession().chain(session -> session.flush())
                .chain(() -> Multi.createFrom().iterable(kinds)
                        .onItem().transformToUniAndConcatenate(kind -> {
                            if (!dispatcher.tryHold(kind)) {
                                toDispatch.add(kind);
                                return Uni.createFrom().voidItem();
                            }
                            held.add(kind);
                            return dispatcher.dispatchHeld(kind, transitions).invoke(more -> {
                                if (more) {
                                    toDispatch.add(kind);
                                }
                            }).replaceWithVoid();
                        })
                        .collect().last())
                .chain(() -> store(transitions, toDispatch));
    }

    private Uni<Committed> store(Transitions transitions, Set<JobKind> toDispatch) {
        return recorder.store(transitions).map(published -> new Committed(published, toDispatch));
    }
}
