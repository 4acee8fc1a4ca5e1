package io.stipple.worker.model;

import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.sd.lora.LoraFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * LoRA versions opened against a loaded base ({@link DiffusionModel#openLora}: every key checked against
 * the base's layers once, the matrices read per batch), kept per base so the next batch with the same
 * LoRA opens nothing. A file is closed when its base is closed, or, beyond {@code maxPerBase} open files
 * of one base, when it is the least recently used one no batch holds.
 *
 * <p>A LoRA version's folder holds {@value ImportedModel#LORA_FILE} (kohya or diffusers/PEFT names) and its
 * {@link ImportedModel}, whose {@code base_model} must be the base it is applied to.
 */
final class LoraFileCache {

    private static final Logger LOG = Logger.getLogger(LoraFileCache.class);

    private record Key(ModelRef base, ModelRef lora) {
    }

    private final ModelFolders folders;
    private final int maxPerBase;
    private final Map<Key, LoraFile> open = new LinkedHashMap<>(8, 0.75f, true);
    private final Map<Key, Integer> inUse = new HashMap<>();

    LoraFileCache(ModelFolders folders, int maxPerBase) {
        this.folders = folders;
        this.maxPerBase = maxPerBase;
    }

    /** The LoRA version opened against {@code base} (loaded as {@code baseRef}); pair with {@link #release}. Blocking. */
    synchronized LoraFile acquire(ModelRef baseRef, DiffusionModel base, ModelRef lora) {
        Key key = new Key(baseRef, lora);
        LoraFile file = open.get(key);
        if (file == null) {
            file = openFile(baseRef, base, lora);
            open.put(key, file);
            LOG.infof("opened LoRA %s over %s", lora, baseRef);
        }
        inUse.merge(key, 1, Integer::sum);
        closeBeyondLimit(baseRef);
        return file;
    }

    synchronized void release(ModelRef baseRef, ModelRef lora) {
        Key key = new Key(baseRef, lora);
        inUse.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        closeBeyondLimit(baseRef);
    }

    /** Closes every LoRA file of a base being closed (no batch holds the base, so none holds its LoRAs). */
    synchronized void closeAll(ModelRef baseRef) {
        var it = open.entrySet().iterator();
        while (it.hasNext()) {
            var entry = it.next();
            if (entry.getKey().base().equals(baseRef)) {
                entry.getValue().close();
                inUse.remove(entry.getKey());
                it.remove();
            }
        }
    }

    synchronized void closeAll() {
        open.values().forEach(LoraFile::close);
        open.clear();
        inUse.clear();
    }

    private void closeBeyondLimit(ModelRef baseRef) {
        List<Key> ofBase = new ArrayList<>();
        open.keySet().stream().filter(k -> k.base().equals(baseRef)).forEach(ofBase::add); // least recently used first
        int count = ofBase.size();
        for (Key key : ofBase) {
            if (count <= maxPerBase) {
                return;
            }
            if (!inUse.containsKey(key)) {
                open.remove(key).close();
                count--;
            }
        }
    }

    private LoraFile openFile(ModelRef baseRef, DiffusionModel base, ModelRef lora) {
        Path folder = folders.locate(lora);
        Path file = folder.resolve(ImportedModel.LORA_FILE);
        try {
            ImportedModel record = ImportRecords.read(folder).orElse(null);
            if (!Files.isRegularFile(file)) {
                throw new ModelUnavailableException("LoRA " + lora + " is no LoRA version: its folder has no "
                        + ImportedModel.LORA_FILE, null);
            }
            if (record != null && record.baseModel() != null && !record.baseModel().equals(baseRef.toString())) {
                throw new ModelUnavailableException("LoRA " + lora + " adapts " + record.baseModel() + ", not " + baseRef,
                        null);
            }
            return base.openLora(file);
        } catch (ModelUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("LoRA " + lora + " cannot be applied to " + baseRef + ": " + e.getMessage(), e);
        }
    }
}
