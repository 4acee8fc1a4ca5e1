package io.stipple.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.rest.model.ModelImportForm;
import io.stipple.gateway.rest.model.Problem;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.service.ModelImportUploads;
import io.stipple.gateway.service.SpecChecks;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/v1/models/imports")
public class ModelImportsResource {

    private final Caller caller;
    private final ModelImportUploads uploads;
    private final SpecChecks checks;
    private final JobSubmissions jobs;

    public ModelImportsResource(Caller caller, ModelImportUploads uploads, SpecChecks checks, JobSubmissions jobs) {
        this.caller = caller;
        this.uploads = uploads;
        this.checks = checks;
        this.jobs = jobs;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // stores the uploaded file in the object store
    @TakesUploadSlot
    @Operation(summary = "Import a model", description = "Multipart: the part \"file\" (a diffusers pipeline folder as a "
            + "tar, tar.gz or zip archive, or a single .safetensors checkpoint) and the fields name, version (default 1), "
            + "format (diffusers | single_file | lora), and for single files prediction_type, native_resolution, "
            + "text_encoder_heads. Answers 202 with the import job; when it succeeds, its produced_model appears in "
            + "GET /v1/models for this tenant only. Validation happens in the job: a broken file fails it, naming "
            + "what is wrong (docs/importing-models.md).")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = JobResource.class)))
    @APIResponse(responseCode = "409", description = "The tenant already has this model version", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The file is too large", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid field", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Every upload slot is busy (stipple.gateway.uploads.max-concurrent; answered before the body is read), or the database or object store is not answering; send it again after Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(@RestForm("file") FileUpload file, @RestForm("name") String name,
            @RestForm("version") String version, @RestForm("format") String format,
            @RestForm("prediction_type") String predictionType, @RestForm("native_resolution") String nativeResolution,
            @RestForm("text_encoder_heads") String textEncoderHeads, @RestForm("base_model") String baseModel,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        if (file == null || file.uploadedFile() == null) {
            throw ApiProblem.invalidField("file", "is required: send the archive or checkpoint as a file part named \"file\"");
        }
        // Fields first: a request with a bad field is answered before its file is stored.
        ModelImportForm fields = ModelImportForm.parse(name, version, format, file.fileName(), predictionType,
                nativeResolution, textEncoderHeads, baseModel, null);
        ModelImportUploads.Stored stored = uploads.store(caller.tenantId(), file.uploadedFile(), file.size());
        ModelImportForm form = fields.withFileSha256(stored.sha256());
        ModelImportSpec spec = new ModelImportSpec(form.model(), form.format(), stored.key(), stored.size(),
                form.predictionType(), form.nativeResolution(), form.textEncoderHeads(), form.baseModel(), null, null);
        return jobs.submit(form, spec, idempotencyKey, checks::modelImport);
    }
}
