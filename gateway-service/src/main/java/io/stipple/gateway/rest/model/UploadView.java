package io.stipple.gateway.rest.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A stored upload: name it by {@code id} in a job. */
@Schema(name = "Upload")
public record UploadView(String id, List<Image> images) {

    @Schema(name = "UploadedImage")
    public record Image(int index, String contentType, long sizeBytes, int width, int height) {
    }
}
