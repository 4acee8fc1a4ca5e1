package io.stipple.trainer.registry;

import java.util.UUID;

/**
 * A registered model version: where its files are and what produced it.
 *
 * @param objectPrefix the object-store prefix holding the version folder
 * @param card the version's {@code model_card.json} (an import's record, {@code stipple-import.json})
 * @param state {@code ready}, or {@code importing} while an import writes its files
 */
public record ModelVersion(String name, String version, String tenantId, UUID jobId, String baseModel, String method,
        String objectPrefix, long sizeBytes, String card, String state) {

    /** A version as the fine-tunes register it: ready at once. */
    public ModelVersion(String name, String version, String tenantId, UUID jobId, String baseModel, String method,
            String objectPrefix, long sizeBytes, String card) {
        this(name, version, tenantId, jobId, baseModel, method, objectPrefix, sizeBytes, card, "ready");
    }

    public boolean ready() {
        return "ready".equals(state);
    }
}
