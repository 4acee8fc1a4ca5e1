package io.stipple.scheduler.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts reactive work on a Vert.x context of its own and returns at once. Hibernate Reactive keeps its
 * session on the context, so work that outlives its caller (an outbox round, a dispatch
 * started by a consumer or a timed round) must not share the caller's context and session.
 */
@ApplicationScoped
public class OwnContext {

    private final Vertx vertx;

    public OwnContext(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code work} on a new context; the returned Uni ends as the work does (on that context). */
    public Uni<Void> run(Supplier<Uni<Void>> work) {
        return Uni.createFrom().emitter(emitter -> start(() -> work.get().invoke(() -> emitter.complete(null)), emitter::fail));
    }

    /** Subscribes to {@code work} on a new context; {@code onFailure} gets its failure (it is not passed on). */
    public void start(Supplier<Uni<Void>> work, Consumer<Throwable> onFailure) {
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        // Marked safe: the context is this work's alone, so Hibernate Reactive may keep a session on it.
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.get().subscribe().with(done -> { }, onFailure));
    }
}
