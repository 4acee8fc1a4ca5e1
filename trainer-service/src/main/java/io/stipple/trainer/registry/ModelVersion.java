package io.stipple.trainer.registry;

import java.util.UUID;

/**
 * A registered model version: where its files are and what produced it.
 *
 * @param objectPrefix the object-store prefix holding the version folder
 * @param card the version's {@code model_card.json}
 */
public record ModelVersion(String name, String version, String tenantId, UUID jobId, String baseModel, String method,
        String objectPrefix, long sizeBytes, String card) {
}
