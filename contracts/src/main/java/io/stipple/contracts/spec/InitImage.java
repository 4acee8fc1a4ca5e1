package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * Image-to-image start (SDEdit): the uploaded image, noised to {@code strength} of the schedule.
 *
 * @param uploadId id returned by {@code POST /v1/uploads}
 * @param strength 0 keeps the image, 1 ignores it
 */
public record InitImage(String uploadId, double strength) {

    public InitImage {
        Envelope.require(uploadId, "init_image", "upload_id");
    }
}
