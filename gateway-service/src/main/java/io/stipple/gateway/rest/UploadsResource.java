package io.stipple.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.rest.model.Problem;
import io.stipple.gateway.rest.model.UploadView;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.service.UploadService;
import io.stipple.gateway.service.UploadService.Received;
import jakarta.ws.rs.Consumes;
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

import java.util.List;

@Path("/v1/uploads")
public class UploadsResource {

    private final Caller caller;
    private final UploadService uploads;

    public UploadsResource(Caller caller, UploadService uploads) {
        this.caller = caller;
        this.uploads = uploads;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // reads, decodes and stores images
    @TakesUploadSlot
    @Operation(summary = "Upload images (init image, mask, or 3-10 fine-tune instance images)", description =
            "One or more multipart parts named \"file\". PNG or JPEG, judged by content; size and pixel-count limits "
                    + "apply and are checked before decoding.")
    @APIResponse(responseCode = "201", description = "Stored", content = @Content(schema = @Schema(implementation = UploadView.class)))
    @APIResponse(responseCode = "413", description = "A file is too large", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not a PNG or JPEG", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Too many pixels, unreadable, or too many files", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Every upload slot is busy (stipple.gateway.uploads.max-concurrent; answered before the body is read), or the database or object store is not answering; send it again after Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(@RestForm("file") List<FileUpload> files) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).uploadedFile() == null) {
                // A part without a filename in its Content-Disposition is a form field, not a file.
                throw ApiProblem.invalidField("file", "part " + i + " has no filename in its Content-Disposition: "
                        + "send each image as a file part");
            }
        }
        UploadService.StoredUpload stored = uploads.store(caller.tenantId(),
                files.stream().map(f -> new Received(f.uploadedFile(), f.size())).toList());
        UploadView view = new UploadView(stored.id(), stored.images().stream()
                .map(i -> new UploadView.Image(i.ordinal(), i.contentType(), i.sizeBytes(), i.width(), i.height()))
                .toList());
        return Response.status(Response.Status.CREATED).entity(view).build();
    }
}
