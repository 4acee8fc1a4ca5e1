package io.stipple.worker.batching;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Upscale;
import io.stipple.engine.cascade.CascadeListener;
import io.stipple.engine.cascade.CascadePipeline;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.worker.mapping.UnsupportedSpecException;
import io.stipple.worker.model.ModelCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The cascade after base sampling: x2 runs the first configured super-resolution stage, x4 the
 * first two (docs/cascade.md), each with its model card's defaults for generated inputs (its
 * {@code default_cascade_aug_level}: the base images carry the base model's errors); then the PNGs, whose
 * parameters name every stage. Stage models come from the {@link ModelCache} like base models.
 */
@ApplicationScoped
public class Upscaler {

    private final ModelCache models;
    private final WorkerConfig config;

    Upscaler(ModelCache models, WorkerConfig config) {
        this.models = models;
        this.config = config;
    }

    /** Super-resolution stages an upscale factor takes. */
    public static int stages(Upscale upscale) {
        return switch (upscale) {
            case NONE -> 0;
            case X2 -> 1;
            case X4 -> 2;
        };
    }

    /** Blocking. @param baseImages the job's base images as the base pipeline sampled them */
    public List<GeneratedImage> upscale(DiffusionModel base, PendingJob pending, float[] baseImages,
            CascadeListener listener) {
        int count = stages(pending.job().item().spec().upscale());
        List<String> configured = config.upscale().stages();
        if (configured.size() < count) {
            throw new UnsupportedSpecException("upscale " + pending.job().item().spec().upscale().name().toLowerCase()
                    + " needs " + count + " super-resolution stages; this worker has " + configured.size()
                    + " (stipple.worker.upscale.stages)");
        }
        List<ModelRef> refs = configured.subList(0, count).stream().map(ModelRef::parse).toList();
        List<ModelRef> acquired = new ArrayList<>();
        try {
            List<DiffusionModel> stageModels = new ArrayList<>();
            for (ModelRef ref : refs) {
                stageModels.add(models.acquire(ref));
                acquired.add(ref);
            }
            return new CascadePipeline(base, stageModels).upscaleAndEncode(pending.request(), baseImages, null,
                    listener);
        } finally {
            acquired.forEach(models::release);
        }
    }
}
