package io.stipple.engine.guidance;

import java.util.Arrays;

/** Per-row timestep arrays for a batch that shares one timestep. */
final class Timesteps {

    private Timesteps() {
    }

    static float[] repeat(float t, int rows) {
        float[] out = new float[rows];
        Arrays.fill(out, t);
        return out;
    }
}
