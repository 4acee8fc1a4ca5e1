package io.stipple.trainer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.schedulers.SchedulerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.ConfigProto;

/**
 * Checks an unpacked diffusers pipeline folder and reads what an import records. First the
 * structure, so that the common mistakes get a precise answer (no {@code model_index.json}, a
 * missing component, pickled {@code .bin} weights); then the engine opens it exactly as the
 * gpu-worker will ({@link DiffusionModels#open}), which checks every config and every tensor's name
 * and shape against the networks the configs describe, and is closed again.
 */
final class DiffusersFolder {

    /** Files every StableDiffusionPipeline component folder must have. */
    private static final List<String> REQUIRED = List.of("scheduler/scheduler_config.json", "tokenizer/vocab.json",
            "tokenizer/merges.txt", "text_encoder/config.json", "unet/config.json", "vae/config.json");
    private static final List<String> WEIGHTED = List.of("text_encoder", "unet", "vae");

    private DiffusersFolder() {
    }

    /**
     * The pipeline's root inside the unpacked archive: the archive's root, or its single top-level
     * folder (how {@code tar -czf model.tgz model/} packs it).
     */
    static Path root(Path unpacked) throws IOException {
        if (Files.isRegularFile(unpacked.resolve(DiffusionModels.DIFFUSERS_INDEX))) {
            return unpacked;
        }
        List<Path> top;
        try (Stream<Path> list = Files.list(unpacked)) {
            top = list.toList();
        }
        if (top.size() == 1 && Files.isRegularFile(top.get(0).resolve(DiffusionModels.DIFFUSERS_INDEX))) {
            return top.get(0);
        }
        throw new ImportRejected("the archive has no " + DiffusionModels.DIFFUSERS_INDEX
                + " at its root or in its one top-level folder: is it a diffusers pipeline folder?");
    }

    /** Checks the folder and opens it with the engine; what it found. */
    static ImportedModel inspect(Path root, ConfigProto sessionConfig) throws IOException {
        requireStructure(root);
        try (DiffusionModel model = DiffusionModels.open(root, sessionConfig)) {
            if (model.identity().family() != ModelFamily.STABLE_DIFFUSION) {
                throw new ImportRejected("the folder holds a " + model.identity().family() + " model, not a diffusers pipeline");
            }
            SchedulerConfig scheduler = model.schedulerConfig();
            return ImportedModel.checkpoint("diffusers", variant(root), model.defaults().nativeSize().width(),
                    scheduler.predictionType().wireName(), scheduler.className());
        } catch (ImportRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The engine's refusals (ModelFormatException, CheckpointFormatException, UnsupportedModelFamilyException,
            // a config it cannot read) name the file and tensor; they are the user's to fix.
            throw new ImportRejected("the pipeline does not load: " + e.getMessage(), e);
        }
    }

    private static void requireStructure(Path root) throws IOException {
        JsonNode index = readJson(root.resolve(DiffusionModels.DIFFUSERS_INDEX));
        if (!index.path("_class_name").isTextual()) {
            throw new ImportRejected(DiffusionModels.DIFFUSERS_INDEX + " names no _class_name");
        }
        for (String file : REQUIRED) {
            if (!Files.isRegularFile(root.resolve(file))) {
                throw new ImportRejected("the pipeline lacks " + file);
            }
            if (file.endsWith(".json")) {
                readJson(root.resolve(file));
            }
        }
        for (String component : WEIGHTED) {
            try (Stream<Path> files = Files.list(root.resolve(component))) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                if (names.stream().noneMatch(n -> n.endsWith(".safetensors"))) {
                    throw new ImportRejected(component + "/ has no .safetensors weights"
                            + (names.stream().anyMatch(n -> n.endsWith(".bin") || n.endsWith(".ckpt"))
                                    ? " (pickled .bin/.ckpt weights are not accepted: they can run code when loaded)" : ""));
                }
            }
        }
    }

    /** SD 1.x attends to 768-wide CLIP-L states, SD 2.x to 1024-wide OpenCLIP-H states; other widths are not told apart. */
    private static String variant(Path root) throws IOException {
        int context = readJson(root.resolve("unet/config.json")).path("cross_attention_dim").asInt(0);
        return switch (context) {
            case 768 -> "sd1";
            case 1024 -> "sd2";
            default -> null;
        };
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ImportRejected(file.getFileName() + " in " + file.getParent().getFileName()
                    + "/ is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
