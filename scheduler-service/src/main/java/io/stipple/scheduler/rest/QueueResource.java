package io.stipple.scheduler.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.config.SchedulerConfig;
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

    public record Slots(JobKind kind, long inFlight, int limit) {
    }

    private final JobRepository jobs;
    private final SchedulerConfig config;

    public QueueResource(JobRepository jobs, SchedulerConfig config) {
        this.jobs = jobs;
        this.config = config;
    }

    @GET
    @WithSession
    @Operation(summary = "Queue depth per kind and priority class, and in-flight jobs per kind")
    public Uni<QueueView> queue() {
        return jobs.queueDepths().flatMap(waiting -> jobs.countLeased(JobKind.GENERATION).flatMap(generation -> jobs
                .countLeased(JobKind.FINETUNE)
                .map(fineTune -> new QueueView(waiting, List.of(
                        new Slots(JobKind.GENERATION, generation, config.dispatch().generationInFlight()),
                        new Slots(JobKind.FINETUNE, fineTune, config.dispatch().finetuneInFlight()))))));
    }
}
