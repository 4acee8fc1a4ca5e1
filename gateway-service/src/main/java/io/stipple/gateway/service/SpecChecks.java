package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelImportSpec;
import jakarta.enterprise.context.ApplicationScoped;

import static io.stipple.gateway.rest.model.FineTuneDefaults.MAX_INSTANCE_IMAGES;
import static io.stipple.gateway.rest.model.FineTuneDefaults.MIN_INSTANCE_IMAGES;

/**
 * The checks of a resolved spec that need the database or the network: named models and uploads exist
 * for the tenant, and a webhook's host resolves to a public address.
 */
@ApplicationScoped
public class SpecChecks {

    private final ModelCatalog models;
    private final UploadChecks uploads;
    private final WebhookTargets webhooks;

    public SpecChecks(ModelCatalog models, UploadChecks uploads, WebhookTargets webhooks) {
        this.models = models;
        this.uploads = uploads;
        this.webhooks = webhooks;
    }

    public Uni<Void> generation(String tenantId, GenerationSpec spec) {
        Uni<Void> checks = webhooks.require(spec.webhook())
                .chain(() -> models.requireGenerable(tenantId, spec.model(), spec.loras()));
        if (spec.initImage() != null) {
            checks = checks.chain(() -> uploads.require(tenantId, spec.initImage().uploadId(), "init_image.upload_id", 1, 1));
        }
        if (spec.maskUploadId() != null) {
            checks = checks.chain(() -> uploads.require(tenantId, spec.maskUploadId(), "mask_upload_id", 1, 1));
        }
        return checks;
    }

    /** The version is free for the tenant (409 otherwise) and a LoRA's base is one it may use. */
    public Uni<Void> modelImport(String tenantId, ModelImportSpec spec) {
        Uni<Void> checks = webhooks.require(spec.webhook()).chain(() -> models.requireFree(tenantId, spec.model()));
        if (spec.baseModel() != null) {
            checks = checks.chain(() -> models.requireKnown(tenantId, spec.baseModel(), "base_model"));
        }
        return checks;
    }

    public Uni<Void> fineTune(String tenantId, FineTuneSpec spec) {
        return webhooks.require(spec.webhook())
                .chain(() -> models.requireKnown(tenantId, spec.baseModel(), "base_model"))
                .chain(() -> uploads.require(tenantId, spec.instanceUploadId(), "instance_upload_id",
                        MIN_INSTANCE_IMAGES, MAX_INSTANCE_IMAGES));
    }
}
