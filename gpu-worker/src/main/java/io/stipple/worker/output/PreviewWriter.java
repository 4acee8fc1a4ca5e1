package io.stipple.worker.output;

import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.RgbImage;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Writes a running job's preview: one image of the sampler's current estimate of the clean
 * sample, as a small PNG under {@link ObjectKeys#preview}, overwritten by the next preview.
 */
@ApplicationScoped
public class PreviewWriter {

    private final ObjectStore store;

    PreviewWriter(ObjectStore store) {
        this.store = store;
    }

    /** Blocking. @return the preview's object key, for the progress event */
    public String write(GenerationWorkItem item, float[] batch, int row, int height, int width) {
        String key = ObjectKeys.preview(item.tenantId(), item.jobId().toString());
        store.put(key, PngCodec.encode(RgbImage.fromBatch(batch, row, height, width), Map.of()), "image/png");
        return key;
    }
}
