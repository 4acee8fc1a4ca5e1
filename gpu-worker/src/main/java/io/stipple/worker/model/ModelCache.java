package io.stipple.worker.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.tensorflow.proto.ConfigProto;

/**
 * Loaded models by name@version, their folders found by {@link ModelFolders} (object store, then
 * the bundled models folder). Keeps at most {@code max-loaded-models} in memory (least recently
 * used closed first).
 *
 * <p>Callers pair {@link #acquire} with {@link #release}: a model in use is never evicted, so an
 * eviction cannot close a model another thread is sampling with. A batch takes its model as a
 * {@link #lease}, which applies the batch's LoRA set as a view over the shared base (no copy of the base).
 *
 * <p>Imported versions load by their {@link ImportedModel}: a single file with what its importer stated
 * ({@link ImportedSingleFiles}); a LoRA version is no model of its own and is refused as one.
 */
@ApplicationScoped
public class ModelCache {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private final ModelFolders folders;
    private final ImportedSingleFiles singleFiles;
    private final LoraFileCache loras;
    private final WorkerConfig config;
    private final Counter hits;
    private final Counter misses;
    private final Map<ModelRef, DiffusionModel> loaded = new LinkedHashMap<>(4, 0.75f, true);
    private final Map<ModelRef, Integer> inUse = new LinkedHashMap<>();
    /** For each loaded LoRA version, the base it runs over (held in use while the version is loaded). */
    private final Map<ModelRef, ModelRef> baseOf = new LinkedHashMap<>();

    ModelCache(ModelFolders folders, ImportedSingleFiles singleFiles, WorkerConfig config, MeterRegistry registry) {
        this.folders = folders;
        this.singleFiles = singleFiles;
        this.loras = new LoraFileCache(folders, config.maxLorasPerModel());
        this.config = config;
        this.hits = Counter.builder("stipple.worker.model.cache").tag("result", "hit").register(registry);
        this.misses = Counter.builder("stipple.worker.model.cache").tag("result", "miss").register(registry);
    }

    /** The loaded model; release it with {@link #release} when done. Blocking (downloads, TensorFlow load). */
    public DiffusionModel acquire(ModelRef ref) {
        synchronized (this) {
            DiffusionModel model = loaded.get(ref);
            if (model != null) {
                hits.increment();
                inUse.merge(ref, 1, Integer::sum);
                return model;
            }
        }
        misses.increment();
        DiffusionModel model = load(ref);
        synchronized (this) {
            DiffusionModel raced = loaded.putIfAbsent(ref, model);
            if (raced != null) {
                model.close();
                if (baseOf.containsKey(ref)) {
                    release(baseOf.get(ref)); // the loser's hold on the base; the winner keeps its own
                }
                model = raced;
            }
            inUse.merge(ref, 1, Integer::sum);
            evictBeyondLimit();
            return model;
        }
    }

    /**
     * {@code base} for one batch with {@code loraSet} applied at their scales (in this order), as one view over
     * the loaded base that shares its weights; without LoRAs, the base itself. Blocking (downloads, loads).
     *
     * @throws ModelUnavailableException naming the LoRA when one cannot be applied to this base (not found,
     *                                   another base's, keys that name no layer of it, a family without LoRAs)
     */
    public ModelLease lease(ModelRef base, List<LoraRef> loraSet) {
        DiffusionModel model = acquire(base);
        if (loraSet.isEmpty()) {
            return new ModelLease(model, () -> release(base));
        }
        List<ModelRef> held = new ArrayList<>();
        Runnable releaseAll = () -> {
            held.forEach(lora -> loras.release(base, lora));
            release(base);
        };
        try {
            List<ScaledLora> scaled = new ArrayList<>();
            for (LoraRef lora : loraSet) {
                scaled.add(new ScaledLora(loras.acquire(base, model, lora.model()), lora.scale()));
                held.add(lora.model());
            }
            DiffusionModel view = withLoras(base, model, scaled);
            return new ModelLease(view, () -> {
                view.close();
                releaseAll.run();
            });
        } catch (RuntimeException e) {
            releaseAll.run();
            throw e;
        }
    }

    private static DiffusionModel withLoras(ModelRef base, DiffusionModel model, List<ScaledLora> scaled) {
        try {
            return model.withLoras(scaled);
        } catch (ModelUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // A family without LoRA files (Stipple models: their LoRA fine-tunes are named as the model itself).
            throw new ModelUnavailableException("the LoRAs cannot be applied to " + base + ": " + e.getMessage(), e);
        }
    }

    public synchronized void release(ModelRef ref) {
        inUse.computeIfPresent(ref, (k, n) -> n == 1 ? null : n - 1);
        evictBeyondLimit();
    }

    private void evictBeyondLimit() {
        List<ModelRef> freedBases = new ArrayList<>();
        var it = loaded.entrySet().iterator();
        while (loaded.size() > config.maxLoadedModels() && it.hasNext()) {
            var entry = it.next();
            if (!inUse.containsKey(entry.getKey())) {
                LOG.infof("closing model %s (more than %d loaded)", entry.getKey(), config.maxLoadedModels());
                loras.closeAll(entry.getKey());
                entry.getValue().close();
                it.remove();
                ModelRef base = baseOf.remove(entry.getKey());
                if (base != null) {
                    freedBases.add(base);
                }
            }
        }
        freedBases.forEach(this::release);
    }

    private DiffusionModel load(ModelRef ref) {
        Path folder = folders.locate(ref);
        try {
            ConfigProto session = Sessions.config(config.tensorflow().intraOpThreads(), config.tensorflow().interOpThreads());
            Optional<ImportedModel> imported = ImportRecords.read(folder);
            if (imported.isPresent() && imported.get().lora()) {
                throw new ModelUnavailableException("model " + ref + " is a LoRA file over " + imported.get().baseModel()
                        + ": name " + imported.get().baseModel() + " as model and " + ref + " in loras", null);
            }
            if (imported.isPresent() && imported.get().singleFile()) {
                DiffusionModel model = singleFiles.open(ref, folder, imported.get(), session);
                LOG.infof("loaded single-file model %s from %s", ref, folder);
                return model;
            }
            Optional<String> adaptedBase = DiffusionModels.adaptedBase(folder);
            if (adaptedBase.isPresent()) {
                return loadAdapters(ref, folder, ModelRef.parse(adaptedBase.get()));
            }
            DiffusionModel model = DiffusionModels.open(folder, session);
            LOG.infof("loaded model %s from %s", ref, folder);
            return model;
        } catch (ModelDownloadException | ModelUnavailableException e) {
            throw e; // a LoRA version's base whose download broke off: another attempt may pass
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("model " + ref + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * A LoRA version runs inside its base's graph and session (DiffusionModels.withAdapters): the
     * base is acquired like any model and stays in use, so never evicted, until the version is closed.
     */
    private DiffusionModel loadAdapters(ModelRef ref, Path folder, ModelRef baseRef) throws IOException {
        DiffusionModel base = acquire(baseRef);
        try {
            DiffusionModel adapted = DiffusionModels.withAdapters(base, folder);
            synchronized (this) {
                baseOf.put(ref, baseRef);
            }
            LOG.infof("loaded LoRA version %s over %s from %s", ref, baseRef, folder);
            return adapted;
        } catch (IOException | RuntimeException e) {
            release(baseRef);
            throw e;
        }
    }

    @PreDestroy
    synchronized void closeAll() {
        loras.closeAll();
        // Adapted versions first: they run inside their bases' sessions.
        loaded.entrySet().stream().filter(e -> baseOf.containsKey(e.getKey())).forEach(e -> e.getValue().close());
        loaded.entrySet().stream().filter(e -> !baseOf.containsKey(e.getKey())).forEach(e -> e.getValue().close());
        loaded.clear();
        baseOf.clear();
    }
}
