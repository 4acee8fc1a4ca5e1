package io.stipple.workbench.data;

import io.stipple.engine.data.Scene;

/** One dataset sample: its seed, the scene, and a caption of it. Render it at any resolution. */
public record Sample(long seed, Scene scene, Caption caption) {

    /** The scene rendered at resolution x resolution, HWC in [-1, 1]. */
    public float[] render(int resolution) {
        return SceneRenderer.render(scene, resolution);
    }
}
