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
 * dispatch transaction of its own. When the dispatch is busy, the kind is left to {@link DispatchNudge} after the
 * commit, as before; the running dispatch (or the one the hold's release starts) runs again for it.
 */
@ApplicationScoped
public class DispatchInTransaction {

    private final Dispatcher dispatcher;

    public DispatchInTransaction(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * What a change and its dispatch committed.
     *
     * @param published  the change's messages, then the dispatched jobs' work items
     * @param toDispatch the kinds a dispatch run should still look at after the commit
     */
    public record Committed(Publication published, Set<JobKind> toDispatch) {
    }

    /** Runs {@code change} in a transaction (it may open its own: it joins this one), then the dispatch, then commits. */
    public Uni<Committed> commit(Supplier<Uni<Publication>> change) {
        Set<JobKind> held = ConcurrentHashMap.newKeySet();
        return Panache.withTransaction(() -> change.get().flatMap(changed -> dispatchUnblocked(changed, held)))
                .onTermination().invoke(() -> held.forEach(dispatcher::release));
    }

    private Uni<Committed> dispatchUnblocked(Publication changed, Set<JobKind> held) {
        Set<JobKind> kinds = changed.kindsToDispatch();
        Publication published = Publication.empty().addAll(changed);
        Set<JobKind> toDispatch = EnumSet.noneOf(JobKind.class);
        if (kinds.isEmpty()) {
            return Uni.createFrom().item(new Committed(published, toDispatch));
        }
        return Multi.createFrom().iterable(kinds)
                .onItem().transformToUniAndConcatenate(kind -> {
                    if (!dispatcher.tryHold(kind)) {
                        toDispatch.add(kind);
                        return Uni.createFrom().voidItem();
                    }
                    held.add(kind);
                    return dispatcher.dispatchHeld(kind).invoke(batch -> {
                        published.addAll(batch.published());
                        if (batch.more()) {
                            toDispatch.add(kind);
                        }
                    }).replaceWithVoid();
                })
                .collect().last()
                .map(ignored -> new Committed(published, toDispatch));
    }
}
