package io.stipple.cli.api;

import java.util.List;

/** A stored upload ({@code POST /v1/uploads}); a fine-tune names it by {@code id}. */
public record Upload(String id, List<Image> images) {

    public record Image(int index, String contentType, long sizeBytes, int width, int height) {
    }
}
