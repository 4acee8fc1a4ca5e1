package io.stipple.workbench.dreambooth;

import io.stipple.engine.data.Scene;
import io.stipple.workbench.data.SceneRenderer;
import io.stipple.workbench.data.Subject;
import java.util.List;

/** Renders of the built-in {@link Subject} as NHWC batches in [-1, 1]. */
public final class BuiltInSubject {

    private BuiltInSubject() {
    }

    /** The first {@code count} instance renders (what a fine-tune sees). */
    public static float[] instances(int count, int resolution) {
        return render(Subject.instances(count), resolution);
    }

    /** The first {@code count} held-out renders (what fidelity is measured against). */
    public static float[] heldOut(int count, int resolution) {
        return render(Subject.heldOut(count), resolution);
    }

    static float[] render(List<Scene> scenes, int resolution) {
        int stride = resolution * resolution * SceneRenderer.CHANNELS;
        float[] out = new float[scenes.size() * stride];
        for (int i = 0; i < scenes.size(); i++) {
            SceneRenderer.renderInto(scenes.get(i), resolution, out, i * stride);
        }
        return out;
    }
}
