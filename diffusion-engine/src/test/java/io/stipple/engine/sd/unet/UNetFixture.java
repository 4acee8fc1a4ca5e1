package io.stipple.engine.sd.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The diffusers parity fixture (for the U-Net tests) in {@code test-fixtures/sd-tiny} (its README says what is in it):
 * reference tensors in torch layout, read through the engine's own safetensors reader.
 */
final class UNetFixture implements AutoCloseable {

    public static final Path ROOT = Path.of("..", "test-fixtures", "sd-tiny");

    private final WeightSource tensors;

    private UNetFixture(WeightSource tensors) {
        this.tensors = tensors;
    }

    static UNetFixture open() {
        try {
            return new UNetFixture(WeightSources.open(ROOT.resolve("fixture.safetensors")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture folder or file, e.g. {@code tiny-sd-pipeline/unet}. */
    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    public long[] shape(String name) {
        return tensors.info(name).shape();
    }

    public float[] floats(String name) {
        return tensors.floats(name);
    }

    /** A tensor as stored, NCHW images turned NHWC (the engine's layout); other ranks unchanged. */
    public TFloat32 nhwcTensor(String name) {
        long[] shape = shape(name);
        return TFloat32.tensorOf(Shape.of(nhwcShape(shape)), DataBuffers.of(nhwc(name), true, false));
    }

    /** The values in the engine's layout: NCHW to NHWC for rank 4, unchanged otherwise. */
    public float[] nhwc(String name) {
        long[] shape = shape(name);
        float[] values = floats(name);
        if (shape.length != 4) {
            return values;
        }
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] out = new float[values.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((b * h + y) * w + x) * c + ch] = values[((b * c + ch) * h + y) * w + x];
                    }
                }
            }
        }
        return out;
    }

    public static long[] nhwcShape(long[] shape) {
        return shape.length != 4 ? shape.clone() : new long[] {shape[0], shape[2], shape[3], shape[1]};
    }

    /**
     * The largest difference relative to the reference's scale (its largest magnitude): the
     * fixture README's measure for component outputs.
     */
    public static double relativeError(float[] expected, float[] actual) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst / scale;
    }

    /** Asserts the shape and that {@link #relativeError} is within {@code tolerance}; returns the error. */
    public double assertMatches(String name, float[] actual, long[] actualShape, double tolerance) {
        assertArrayEquals(nhwcShape(shape(name)), actualShape, name + " shape (NHWC)");
        double error = relativeError(nhwc(name), actual);
        assertTrue(error <= tolerance, name + ": max difference is " + error + " of the reference's scale");
        return error;
    }

    @Override
    public void close() {
        tensors.close();
    }
}
