package io.stipple.workbench.data;

import io.stipple.engine.data.Scene;

/**
 * Renders a {@link Scene} at any square resolution into a float[] in HWC order (RGB), values in
 * [-1, 1]. Anti-aliasing is by supersampling: each pixel that the shape's bounding box touches is
 * the average of SUPERSAMPLE x SUPERSAMPLE stratified point samples, so edge pixels carry the
 * shape's coverage. Everything is computed from resolution-independent scene coordinates, so the
 * 16x16 and 64x64 renders of one scene show the same picture.
 */
public final class SceneRenderer {

    /** Point samples per pixel along each axis. */
    public static final int SUPERSAMPLE = 8;
    public static final int CHANNELS = 3;

    private SceneRenderer() {
    }

    /** The scene at resolution x resolution, HWC, in [-1, 1]. */
    public static float[] render(Scene scene, int resolution) {
        float[] out = new float[resolution * resolution * CHANNELS];
        renderInto(scene, resolution, out, 0);
        return out;
    }

    /** Renders into {@code out} starting at {@code offset} (for batch-major NHWC buffers). */
    public static void renderInto(Scene scene, int resolution, float[] out, int offset) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive: " + resolution);
        }
        float[] background = scene.background().rgb();
        float[] colour = scene.colour().rgb();
        double radius = scene.radius();
        double centreX = scene.centreX();
        double centreY = scene.centreY();
        // Pixels wholly outside the shape's bounding box are plain background: skip supersampling.
        int x0 = Math.max(0, (int) Math.floor((centreX - radius) * resolution) - 1);
        int x1 = Math.min(resolution - 1, (int) Math.ceil((centreX + radius) * resolution) + 1);
        int y0 = Math.max(0, (int) Math.floor((centreY - radius) * resolution) - 1);
        int y1 = Math.min(resolution - 1, (int) Math.ceil((centreY + radius) * resolution) + 1);
        float[] pixel = new float[CHANNELS];
        for (int y = 0; y < resolution; y++) {
            for (int x = 0; x < resolution; x++) {
                int at = offset + (y * resolution + x) * CHANNELS;
                if (x < x0 || x > x1 || y < y0 || y > y1) {
                    write(background, out, at);
                } else {
                    samplePixel(scene, resolution, x, y, radius, centreX, centreY, colour, background, pixel);
                    write(pixel, out, at);
                }
            }
        }
    }

    private static void samplePixel(Scene scene, int resolution, int x, int y, double radius,
                                    double centreX, double centreY, float[] colour, float[] background,
                                    float[] pixel) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
            double localY = ((y + (sy + 0.5) / SUPERSAMPLE) / resolution - centreY) / radius;
            for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                double localX = ((x + (sx + 0.5) / SUPERSAMPLE) / resolution - centreX) / radius;
                if (scene.shape().contains(localX, localY)) {
                    float shade = scene.fill().shadeAt(localX, localY);
                    r += colour[0] * shade;
                    g += colour[1] * shade;
                    b += colour[2] * shade;
                } else {
                    r += background[0];
                    g += background[1];
                    b += background[2];
                }
            }
        }
        float samples = SUPERSAMPLE * SUPERSAMPLE;
        pixel[0] = r / samples;
        pixel[1] = g / samples;
        pixel[2] = b / samples;
    }

    /** Writes an RGB colour in [0, 1] as [-1, 1]. */
    private static void write(float[] rgb, float[] out, int at) {
        for (int c = 0; c < CHANNELS; c++) {
            out[at + c] = rgb[c] * 2f - 1f;
        }
    }
}
