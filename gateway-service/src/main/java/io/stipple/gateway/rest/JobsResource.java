package io.stipple.gateway.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.status.JobState;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.repository.JobFilter;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.rest.model.JobPage;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.service.CancelService;
import io.stipple.gateway.service.JobEventStream;
import io.stipple.gateway.service.JobQueries;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    static final int MAX_PAGE = 100;
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final Caller caller;
    private final JobQueries queries;
    private final CancelService cancels;
    private final JobEventStream events;
    private final JobResourceMapper mapper;
    private final JobResponses responses;
    private final JobEventBodies eventBodies;

    public JobsResource(Caller caller, JobQueries queries, CancelService cancels, JobEventStream events,
            JobResourceMapper mapper, JobResponses responses, JobEventBodies eventBodies) {
        this.caller = caller;
        this.queries = queries;
        this.cancels = cancels;
        this.events = events;
        this.mapper = mapper;
        this.responses = responses;
        this.eventBodies = eventBodies;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A job of the caller's tenant", description = "Another tenant's job answers 404.")
    public Uni<JobResource> get(@PathParam("id") UUID id) {
        return queries.get(caller.tenantId(), id).map(mapper::toResource);
    }

    @GET
    @Operation(summary = "The caller's jobs, newest first", description = "Keyset pagination: pass next_cursor as cursor.")
    public Uni<JobPage> list(
            @Parameter(description = "submitted, queued, running, succeeded, failed or canceled") @QueryParam("status") String status,
            @Parameter(description = "generation, finetune or model_import") @QueryParam("kind") String kind,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") @DefaultValue("20") String limitText,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        int limit = pageSize(limitText);
        JobCursor after = cursor == null ? null : JobCursor.decode(cursor);
        JobFilter filter = new JobFilter(
                status == null ? null : WireNames.of(QueryEnums.parse(JobState.class, "status", status)),
                kind == null ? null : WireNames.of(QueryEnums.parse(JobKind.class, "kind", kind)),
                after == null ? null : after.createdAt(), after == null ? null : after.id());
        return queries.page(caller.tenantId(), filter, limit).map(rows -> page(rows, limit));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Ask to cancel a job", description = "Answers 202: a queued job is canceled at once, a running "
            + "one stops between steps. A finished job answers 409.")
    public Uni<Response> cancel(@PathParam("id") UUID id) {
        return cancels.cancel(caller.tenantId(), id).map(row -> responses.accepted(row).build());
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow a job (Server-Sent Events)", description = "Events are named after what happened "
            + "(submitted, queued, running, progress, succeeded, failed, canceled...); the stream ends after the "
            + "terminal one, whose data also carries the job as GET /v1/jobs/{id} answers it (field job, result "
            + "links signed when the event is sent). Reconnect with Last-Event-ID to continue after the last event "
            + "received.")
    @Blocking // waits for the job lookup, so that an unknown job is a 404 before the stream's headers go out
    public Multi<OutboundSseEvent> events(@PathParam("id") UUID id,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long after = SseIds.parse(lastEventId);
        JobRow job = queries.get(caller.tenantId(), id).await().atMost(LOOKUP_TIMEOUT);
        return events.follow(job, after)
                .map(e -> sse.newEventBuilder()
                        .id(Long.toString(e.id()))
                        .name(e.type())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(eventBodies.dataOf(job, e))
                        .build());
    }

    /** Read here rather than by JAX-RS, which answers an unparsable number with a bare 404. */
    private static int pageSize(String text) {
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiProblem.invalidField("limit", "must be a whole number between 1 and " + MAX_PAGE);
        }
        return limit;
    }

    private JobPage page(List<JobRow> rows, int limit) {
        boolean more = rows.size() > limit;
        List<JobRow> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? new JobCursor(shown.get(limit - 1).createdAt(), shown.get(limit - 1).id()).encode() : null;
        return new JobPage(shown.stream().map(mapper::toResource).toList(), next);
    }
}
