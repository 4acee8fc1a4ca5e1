package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.repository.UploadRepository;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks that a job names uploads of its own tenant with the right number of images. */
@ApplicationScoped
public class UploadChecks {

    private final UploadRepository uploads;

    public UploadChecks(UploadRepository uploads) {
        this.uploads = uploads;
    }

    /** Fails with a 422 naming {@code field} unless the tenant's upload exists with {@code min..max} images. */
    public Uni<Void> require(String tenantId, String uploadId, String field, int min, int max) {
        return uploads.imageCount(tenantId, uploadId).map(count -> {
            if (count == null) {
                throw new InvalidFieldException(field, "names no upload of this tenant: \"" + uploadId + "\"");
            }
            if (count < min || count > max) {
                throw new InvalidFieldException(field, min == max
                        ? "must hold exactly " + min + " image, this upload has " + count
                        : "must hold " + min + " to " + max + " images, this upload has " + count);
            }
            return null;
        });
    }
}
