package io.stipple.worker.model;

import io.stipple.engine.model.DiffusionModel;

/**
 * A model held for one batch ({@link ModelCache#lease}): the base, or a view of it with the batch's LoRA
 * set applied. Closing it closes the view (its LoRA feeds only) and lets the base and LoRA files go.
 */
public final class ModelLease implements AutoCloseable {

    private final DiffusionModel model;
    private final Runnable release;

    ModelLease(DiffusionModel model, Runnable release) {
        this.model = model;
        this.release = release;
    }

    public DiffusionModel model() {
        return model;
    }

    @Override
    public void close() {
        release.run();
    }
}
