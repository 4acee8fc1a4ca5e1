package io.stipple.scheduler.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.policy.DispatchSlots;
import io.stipple.scheduler.repository.JobRepository;
import io.stipple.scheduler.repository.QueueDepth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Read-only operator view of the queue. Job state itself is served by the gateway, not here. */
@Path("/admin/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    /** Waiting jobs per kind and class, and the dispatch slots in use against their limit. */
    public record QueueView(List<QueueDepth> waiting, List<Slots> slots) {
    }

    /** One slot group's use: {@code pool} is null for the kind's shared topic. */
    public record Slots(JobKind kind, String pool, long inFlight, int limit) {
    }

    private final JobRepository jobs;
    private final DispatchSlots slots;

    public QueueResource(JobRepository jobs, DispatchSlots slots) {
        this.jobs = jobs;
        this.slots = slots;
    }

    @GET
    @WithSession
    @Operation(summary = "Queue depth per kind and priority class, and in-flight jobs per slot group (shared topic, each worker pool)")
    public Uni<QueueView> queue() {
        // Every kind in declaration order, one after the other: the reactive session runs one query at a time.
        return jobs.queueDepths().flatMap(waiting -> Multi.createFrom().items(JobKind.values())
                .onItem().transformToUniAndConcatenate(this::slotsOf)
                .collect().asList()
                .map(perKind -> new QueueView(waiting, perKind.stream().flatMap(List::stream).toList())));
    }

    private Uni<List<Slots>> slotsOf(JobKind kind) {
        return jobs.countLeasedByTenant(kind).map(byTenant -> slots.inFlight(kind, byTenant).entrySet().stream()
                .map(e -> new Slots(kind, e.getKey().pool(), e.getValue(), slots.limit(e.getKey())))
                .toList());
    }
}
