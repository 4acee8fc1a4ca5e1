package io.stipple.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.mapping.GenerationSpecMapper;
import io.stipple.gateway.rest.model.GenerationRequest;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.rest.model.Problem;
import io.stipple.gateway.service.SpecChecks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/generations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GenerationsResource {

    private final GenerationSpecMapper specs;
    private final SpecChecks checks;
    private final JobSubmissions jobs;

    public GenerationsResource(GenerationSpecMapper specs, SpecChecks checks, JobSubmissions jobs) {
        this.specs = specs;
        this.checks = checks;
        this.jobs = jobs;
    }

    @POST
    @Operation(summary = "Submit a generation job", description = "Answers 202 with the job at once; follow it with "
            + "GET /v1/jobs/{id} or its event stream. Repeating a request with the same Idempotency-Key and body "
            + "returns the same job.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = JobResource.class)))
    @APIResponse(responseCode = "400", description = "Unreadable body", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid field or reused Idempotency-Key", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate or concurrent-job limit; see Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(@Valid @NotNull GenerationRequest request,
            @Parameter(description = "Makes retries safe: same key and body, same job.")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return jobs.submit(request, specs.toSpec(request), idempotencyKey, checks::generation);
    }
}
