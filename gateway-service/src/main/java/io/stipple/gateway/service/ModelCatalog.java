package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.ModelRepository;
import io.stipple.gateway.repository.ModelRepository.ProducedModel;
import io.stipple.gateway.rest.model.ModelEntry;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.rejection.ModelExistsException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
            bundled.forEach(m -> entries.add(new ModelEntry(m, m.name(), m.version(), "bundled", null, null, null, null)));
            produced.forEach(p -> {
                ModelRef ref = ModelRef.parse(p.ref());
                boolean imported = JobKind.MODEL_IMPORT == p.kind();
                entries.add(new ModelEntry(ref, ref.name(), ref.version(), imported ? "import" : "finetune",
                        imported ? null : p.jobId(), imported ? p.jobId() : null, p.completedAt(),
                        p.isLora() ? ModelRef.parse(p.loraBase()) : null));
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
            find(produced, model).orElseThrow(() -> unknown(field, model));
            return null;
        });
    }

    /**
     * Fails with a 422 naming {@code model} unless the tenant may generate with it, and naming
     * {@code loras[i].model} unless each LoRA is a ready LoRA version of the tenant's that adapts exactly
     * {@code model}. A version the tenant cannot see (another tenant's, or one still being made) gets the
     * answer of one that does not exist, so the refusal tells nothing about other tenants.
     */
    public Uni<Void> requireGenerable(String tenantId, ModelRef model, List<LoraRef> loras) {
        if (bundled.contains(model) && loras.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (bundled.contains(model)) {
            return Uni.createFrom().failure(new InvalidFieldException("loras", "must be empty for " + model
                    + ": bundled models take no LoRA files (a LoRA fine-tune of one is named as model itself)"));
        }
        return models.producedFor(tenantId).map(produced -> {
            ProducedModel base = find(produced, model).orElseThrow(() -> unknown("model", model));
            if (base.isLora() && base.kind() == JobKind.MODEL_IMPORT) {
                throw new InvalidFieldException("model", "names " + model + ", a LoRA file over " + base.loraBase()
                        + ": name " + base.loraBase() + " as model and " + model + " in loras");
            }
            for (int i = 0; i < loras.size(); i++) {
                requireAdapts(produced, loras.get(i).model(), model, "loras[" + i + "].model");
            }
            return null;
        });
    }

    private void requireAdapts(List<ProducedModel> produced, ModelRef lora, ModelRef base, String field) {
        if (bundled.contains(lora)) {
            throw notLora(field, lora, base);
        }
        ProducedModel version = find(produced, lora).orElseThrow(() -> unknown(field, lora));
        if (!version.isLora()) {
            throw notLora(field, lora, base);
        }
        if (!version.loraBase().equals(base.toString())) {
            throw new InvalidFieldException(field, "names " + lora + ", a LoRA version of " + version.loraBase()
                    + ", not of this job's model " + base);
        }
    }

    private static Optional<ProducedModel> find(List<ProducedModel> produced, ModelRef model) {
        return produced.stream().filter(p -> p.ref().equals(model.toString())).findFirst();
    }

    private static InvalidFieldException unknown(String field, ModelRef model) {
        return new InvalidFieldException(field, "names an unknown model version \"" + model + "\" (see GET /v1/models)");
    }

    private static InvalidFieldException notLora(String field, ModelRef model, ModelRef base) {
        return new InvalidFieldException(field, "names " + model + ", a complete model, not a LoRA version; loras take "
                + "LoRA versions whose base_model is " + base + " (GET /v1/models)");
    }
}
