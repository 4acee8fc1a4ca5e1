package io.stipple.trainer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.sd.layout.ConfigLayout;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.lora.LoraTargets;
import io.stipple.engine.sd.singlefile.SingleFileCheckpoint;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.weights.SafetensorsLayout;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;

/**
 * The base model a LoRA import names, as the layers a LoRA may change ({@link LoraTargets}): a ready version
 * of the importing tenant in the registry, read without its weights: a diffusers folder from its
 * {@code unet/config.json} and {@code text_encoder/config.json}, a single file from its safetensors header (the
 * download stops there). Another tenant's version gets the very answer an unknown one gets, so an import
 * cannot probe for other tenants' models.
 */
@ApplicationScoped
public class LoraBases {

    /** Registry methods whose versions are LoRAs themselves: a fine-tune's adapters and an imported LoRA file. */
    private static final Set<String> LORA_METHODS = Set.of("lora", "import_lora");
    private static final String UNET_CONFIG = "unet/config.json";
    private static final String TEXT_CONFIG = "text_encoder/config.json";

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final Path bundledModels;

    LoraBases(ObjectStore store, ModelRegistry registry, TrainerConfig config) {
        this.store = store;
        this.registry = registry;
        this.bundledModels = config.bundledModelsDir();
    }

    /**
     * @param targets the layers of the base a LoRA may change
     * @param variant the base's recorded variant ({@code sd1}, {@code sd2}, ...), or null
     */
    public record Base(ModelRef ref, LoraTargets targets, String variant) {
    }

    /**
     * Reads the base's layout: a folder's config files fetched into {@code work}, a single file's header streamed.
     *
     * @throws ImportRejected when the tenant has no such version, or it is no Stable Diffusion model to adapt
     */
    public Base open(ModelRef ref, String tenantId, Path work) throws IOException {
        if (Files.isDirectory(bundledModels.resolve(ref.name()).resolve(ref.version()))) {
            throw new ImportRejected("base model " + ref + " is a bundled Stipple model; LoRA files adapt Stable Diffusion"
                    + " models (import the Stable Diffusion model first, then name it as base_model)");
        }
        ModelVersion version = registry.find(ref.name(), ref.version())
                .filter(v -> v.ready() && v.tenantId().equals(tenantId))
                .orElseThrow(() -> new ImportRejected("unknown base model " + ref
                        + ": no model version of yours has this name (see GET /v1/models)"));
        if (LORA_METHODS.contains(version.method())) {
            throw new ImportRejected("base model " + ref + " is a LoRA itself (" + version.method()
                    + "); name the model it adapts, " + version.baseModel() + ", as base_model");
        }
        String prefix = version.objectPrefix();
        try {
            return new Base(ref, targets(ref, prefix, work), variant(version));
        } catch (ImportRejected e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImportRejected("base model " + ref + " cannot be read as a Stable Diffusion model: " + e.getMessage(), e);
        }
    }

    private LoraTargets targets(ModelRef ref, String prefix, Path work) throws IOException {
        if (store.exists(prefix + UNET_CONFIG) && store.exists(prefix + TEXT_CONFIG)) {
            Files.createDirectories(work);
            Path unet = fetch(prefix + UNET_CONFIG, work.resolve("unet-config.json"));
            Path text = fetch(prefix + TEXT_CONFIG, work.resolve("text-encoder-config.json"));
            return ConfigLayout.loraTargets(UNetConfigReader.read(unet), ClipTextConfig.read(text));
        }
        Optional<ObjectInfo> single = store.stat(prefix + ImportedModel.SINGLE_FILE);
        if (single.isPresent()) {
            try (InputStream in = store.open(prefix + ImportedModel.SINGLE_FILE);
                    SingleFileCheckpoint checkpoint = SingleFileCheckpoint.of(
                            SafetensorsLayout.read(ref + " " + ImportedModel.SINGLE_FILE, in, single.get().size()))) {
                return LoraTargets.of(checkpoint.unet(), checkpoint.textEncoder());
            }
        }
        throw new ImportRejected("base model " + ref + " holds neither a diffusers folder (" + UNET_CONFIG + ", "
                + TEXT_CONFIG + ") nor a single file (" + ImportedModel.SINGLE_FILE + ")");
    }

    private Path fetch(String key, Path target) throws IOException {
        try (InputStream in = store.open(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String variant(ModelVersion version) throws IOException {
        JsonNode card = new ObjectMapper().readTree(version.card());
        JsonNode variant = card.path("variant");
        return variant.isTextual() ? variant.asText() : null;
    }
}
