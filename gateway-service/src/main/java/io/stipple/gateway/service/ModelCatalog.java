package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.ModelRepository;
import io.stipple.gateway.rest.model.ModelEntry;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.rejection.ModelExistsException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The model versions a tenant may name: the bundled ones ({@code stipple.gateway.bundled-models})
 * and those its own fine-tunes and model imports produced (a gateway-side projection of the status snapshots).
 */
@ApplicationScoped
public class ModelCatalog {

    private final List<ModelRef> bundled;
    private final ModelRepository models;

    public ModelCatalog(GatewayConfig config, ModelRepository models) {
        this.bundled = config.bundledModels().stream().map(ModelRef::parse).toList();
        this.models = models;
    }

    public Uni<List<ModelEntry>> list(String tenantId) {
        return models.producedFor(tenantId).map(produced -> {
            List<ModelEntry> entries = new ArrayList<>();
            bundled.forEach(m -> entries.add(new ModelEntry(m, m.name(), m.version(), "bundled", null, null, null)));
            produced.forEach(p -> {
                ModelRef ref = ModelRef.parse(p.ref());
                boolean imported = JobKind.MODEL_IMPORT == p.kind();
                entries.add(new ModelEntry(ref, ref.name(), ref.version(), imported ? "import" : "finetune",
                        imported ? null : p.jobId(), imported ? p.jobId() : null, p.completedAt()));
            });
            return entries;
        });
    }

    /**
     * Fails with a 409 when the tenant can already name the version (bundled, fine-tuned or imported).
     * A version another tenant holds is refused by the import job itself (trainer-service's registry),
     * which keeps this answer from telling one tenant what another has.
     */
    public Uni<Void> requireFree(String tenantId, ModelRef model) {
        if (bundled.contains(model)) {
            return Uni.createFrom().failure(exists(model, "a bundled model"));
        }
        return models.producedFor(tenantId).map(produced -> {
            if (produced.stream().anyMatch(p -> p.ref().equals(model.toString()))) {
                throw exists(model, "one of your models");
            }
            return null;
        });
    }

    private static ModelExistsException exists(ModelRef model, String what) {
        return new ModelExistsException("model version " + model + " already exists (" + what
                + "); choose another name or version");
    }

    /**
     * Whether the version is one the tenant imported (a Stable Diffusion pipeline, single file or LoRA: every
     * import is of that family); false for bundled, fine-tuned and unknown versions.
     */
    public Uni<Boolean> isImport(String tenantId, ModelRef model) {
        if (bundled.contains(model)) {
            return Uni.createFrom().item(false);
        }
        return models.producedFor(tenantId).map(produced -> produced.stream()
                .anyMatch(p -> p.kind() == JobKind.MODEL_IMPORT && p.ref().equals(model.toString())));
    }

    /** Fails with a 422 naming {@code field} unless the tenant may use the model version. */
    public Uni<Void> requireKnown(String tenantId, ModelRef model, String field) {
        if (bundled.contains(model)) {
            return Uni.createFrom().voidItem();
        }
        return models.producedFor(tenantId).map(produced -> {
            if (produced.stream().noneMatch(p -> p.ref().equals(model.toString()))) {
                throw new InvalidFieldException(field, "names an unknown model version \"" + model + "\" (see GET /v1/models)");
            }
            return null;
        });
    }
}
