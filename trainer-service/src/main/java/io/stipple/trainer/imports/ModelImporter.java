package io.stipple.trainer.imports;

import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.engine.nn.Sessions;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.registry.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One model import from upload to registered version: reserve {@code name@version} in the registry,
 * fetch the upload, unpack it (archives), validate it with the engine, write the files and the
 * import record under {@code models/{name}/{version}/}, then flip the registry row to ready. Nothing
 * is listed before that flip: the gateway lists a version only once the job has succeeded, and the
 * job succeeds only after it. A rejected import gives its reservation and any files written back.
 */
@ApplicationScoped
public class ModelImporter {

    /** The stages a progress event names, in order. */
    public static final String[] STAGES = {"fetch", "unpack", "validate", "store"};

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final TrainerConfig config;
    private final LoraBases loraBases;

    ModelImporter(ObjectStore store, ModelRegistry registry, TrainerConfig config, LoraBases loraBases) {
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.loraBases = loraBases;
    }

    /** Reports each stage as it starts. */
    public interface StageListener {
        void stage(int index, String name);
    }

    /** The registered model and what the import recorded about it. */
    public record Imported(ModelRef model, ImportedModel record) {
    }

    public Imported run(ModelImportWorkItem item, StageListener stages) throws IOException {
        ModelImportSpec spec = item.spec();
        ModelRef ref = spec.model();
        if (Files.isDirectory(config.bundledModelsDir().resolve(ref.name()).resolve(ref.version()))) {
            throw new ImportRejected("model version " + ref + " is a bundled model; choose another name or version");
        }
        try {
            registry.reserve(ref.name(), ref.version(), item.tenantId(), item.jobId(), method(spec.format()),
                    spec.baseModel() == null ? null : spec.baseModel().toString(), item.outputPrefix());
        } catch (ModelRegistry.VersionTaken e) {
            throw new ImportRejected(e.getMessage(), e);
        }
        var registered = registry.find(ref.name(), ref.version()).filter(v -> v.ready());
        if (registered.isPresent()) {
            // An earlier attempt of this job got as far as the flip and was lost after it: nothing to redo.
            return new Imported(ref, ImportRecords.fromJson(registered.get().card()));
        }
        Path work = config.workDir().resolve("imports").resolve(item.jobId().toString());
        try {
            deleteTree(work);
            Files.createDirectories(work);
            stages.stage(0, STAGES[0]);
            Path source = fetch(spec, work.resolve("upload"));
            Path folder = work.resolve("model");
            stages.stage(1, STAGES[1]);
            ImportedModel record = switch (spec.format()) {
                case DIFFUSERS -> {
                    new ArchiveUnpacker(config.imports().maxEntries(), config.imports().maxUnpackedBytes())
                            .unpack(source, folder);
                    Path root = DiffusersFolder.root(folder);
                    stages.stage(2, STAGES[2]);
                    folder = root;
                    yield DiffusersFolder.inspect(root, Sessions.config());
                }
                case SINGLE_FILE -> {
                    Files.createDirectories(folder);
                    Path file = Files.move(source, folder.resolve(ImportedModel.SINGLE_FILE), StandardCopyOption.REPLACE_EXISTING);
                    stages.stage(2, STAGES[2]);
                    yield SingleFile.inspect(file, spec);
                }
                case LORA -> {
                    Files.createDirectories(folder);
                    Path file = Files.move(source, folder.resolve(ImportedModel.LORA_FILE), StandardCopyOption.REPLACE_EXISTING);
                    stages.stage(2, STAGES[2]);
                    LoraBases.Base base = loraBases.open(spec.baseModel(), item.tenantId(), work.resolve("base"));
                    yield LoraFileImport.inspect(file, base, config.imports().maxLoraBytes());
                }
            };
            stages.stage(3, STAGES[3]);
            ContentHash.Summary content = ContentHash.of(folder);
            record = record.withContent(content.sha256(), content.bytes());
            clear(item.outputPrefix());
            ObjectTrees.upload(store, folder, item.outputPrefix());
            String json = ImportRecords.toJson(record);
            store.put(item.outputPrefix() + ImportedModel.RECORD_FILE, json.getBytes(StandardCharsets.UTF_8),
                    "application/json");
            registry.publish(item.jobId(), content.bytes(), json);
            return new Imported(ref, record);
        } catch (ImportRejected e) {
            clear(item.outputPrefix());
            registry.release(item.jobId());
            throw e;
        } finally {
            deleteTree(work);
        }
    }

    private static String method(ModelImportFormat format) {
        return switch (format) {
            case DIFFUSERS -> "import_diffusers";
            case SINGLE_FILE -> "import_single_file";
            case LORA -> "import_lora";
        };
    }

    private Path fetch(ModelImportSpec spec, Path target) throws IOException {
        if (store.stat(spec.sourceKey()).isEmpty()) {
            throw new ImportRejected("the upload " + spec.sourceKey() + " is gone from the object store");
        }
        if (spec.format() == ModelImportFormat.LORA) {
            // refused before the download; the downloaded file's own size is checked again (LoraFileImport)
            LoraFileImport.requireSize(spec.sourceBytes(), config.imports().maxLoraBytes());
        }
        try (InputStream in = store.open(spec.sourceKey())) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Removes what an earlier, rejected import of the same version may have left under the prefix. */
    private void clear(String prefix) {
        for (ObjectInfo object : store.list(prefix)) {
            store.delete(object.key());
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + folder + " failed", e);
        }
    }
}
