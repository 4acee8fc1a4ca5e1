package io.stipple.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.mapping.FineTuneSpecMapper;
import io.stipple.gateway.rest.model.FineTuneRequest;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.rest.model.Problem;
import io.stipple.gateway.service.ModelCatalog;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/finetunes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FineTunesResource {

    private final Caller caller;
    private final ModelCatalog models;
    private final FineTuneSpecMapper specs;
    private final SpecChecks checks;
    private final JobSubmissions jobs;

    public FineTunesResource(Caller caller, ModelCatalog models, FineTuneSpecMapper specs, SpecChecks checks,
            JobSubmissions jobs) {
        this.caller = caller;
        this.models = models;
        this.specs = specs;
        this.checks = checks;
        this.jobs = jobs;
    }

    @POST
    @Operation(summary = "Submit a DreamBooth fine-tuning job", description = "Upload 3 to 10 images of the subject "
            + "first (POST /v1/uploads). On success the job's produced_model can be named by generations. An imported "
            + "Stable Diffusion base is fine-tuned with LoRA adapters on its U-Net (defaults: rank 4, 500 steps at 1e-4).")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = JobResource.class)))
    @APIResponse(responseCode = "422", description = "Invalid field, unknown base model or upload", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(@Valid @NotNull FineTuneRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        // The base's family decides the defaults and what is refused, so it is looked up before the spec is resolved.
        return models.isImport(caller.tenantId(), specs.baseOf(request)).chain(stableDiffusion ->
                jobs.submit(request, specs.toSpec(request, stableDiffusion), idempotencyKey, checks::fineTune));
    }
}
