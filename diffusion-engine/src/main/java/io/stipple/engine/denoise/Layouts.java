package io.stipple.engine.denoise;

/**
 * Reorders between PyTorch's channel-first layout and the engine's channel-last one, for arrays that
 * come from outside references (diffusers' starting latents, fixture tensors).
 */
public final class Layouts {

    private Layouts() {
    }

    /** {@code [n, c, h, w]} values reordered to {@code [n, h, w, c]}. */
    public static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
        float[] out = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    out[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
                }
            }
        }
        return out;
    }
}
