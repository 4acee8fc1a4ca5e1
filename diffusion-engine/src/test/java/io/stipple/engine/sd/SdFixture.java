package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The diffusers parity fixture ({@code test-fixtures/sd-tiny}, see its README): reference
 * tensors in torch layout, and how tests compare the engine's NHWC outputs with them.
 */
public final class SdFixture {

    public static final Path DIRECTORY = Path.of("..", "test-fixtures", "sd-tiny");
    public static final Path SD1 = DIRECTORY.resolve("tiny-sd-pipeline");
    public static final Path SD2 = DIRECTORY.resolve("tiny-sd2-pipeline");
    /** "Component outputs within 1e-4 relative to their scale" (README). */
    public static final double COMPONENT_TOLERANCE = 1e-4;

    private static TestSafetensors references;

    private SdFixture() {
    }

    /** The reference tensors ({@code fixture.safetensors}). */
    public static synchronized TestSafetensors references() throws IOException {
        if (references == null) {
            references = TestSafetensors.open(DIRECTORY.resolve("fixture.safetensors"));
        }
        return references;
    }

    public static long[] shape(String name) throws IOException {
        return references().info(name).shape();
    }

    /** A reference tensor as stored (torch layout). */
    public static TFloat32 tensor(String name) throws IOException {
        return TFloat32.tensorOf(Shape.of(shape(name)), DataBuffers.of(references().floats(name), true, false));
    }

    /** An NCHW reference tensor transposed to NHWC. */
    public static TFloat32 nhwcTensor(String name) throws IOException {
        long[] s = shape(name);
        return TFloat32.tensorOf(Shape.of(s[0], s[2], s[3], s[1]), DataBuffers.of(nchwToNhwc(references().floats(name), s),
                true, false));
    }

    public static TInt32 intTensor(String name) throws IOException {
        return TInt32.tensorOf(Shape.of(shape(name)), DataBuffers.of(references().ints(name), true, false));
    }

    public static float[] nchwToNhwc(float[] values, long[] nchw) {
        int n = (int) nchw[0];
        int c = (int) nchw[1];
        int h = (int) nchw[2];
        int w = (int) nchw[3];
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

    public static float[] values(Tensor tensor) {
        float[] values = new float[(int) tensor.size()];
        ((TFloat32) tensor).asRawTensor().data().asFloats().read(values);
        return values;
    }

    /** Largest absolute difference and its ratio to the reference's largest magnitude. */
    public record Difference(String name, double maxAbs, double scale) {

        public double relative() {
            return maxAbs / scale;
        }

        @Override
        public String toString() {
            return String.format("%s: max-abs %.3g, scale %.3g, relative %.3g", name, maxAbs, scale, relative());
        }
    }

    /**
     * Compares {@code actual} with {@code expected} (same layout) and asserts the maximum absolute
     * difference is within {@link #COMPONENT_TOLERANCE} of the reference's scale (its largest
     * magnitude); prints the measured difference for the record.
     */
    public static Difference assertMatches(String name, float[] expected, long[] expectedShape, Tensor actual) {
        assertArrayEquals(expectedShape, actual.shape().asArray(), name + " shape");
        float[] values = values(actual);
        double maxAbs = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[i] - values[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        Difference difference = new Difference(name, maxAbs, scale);
        System.out.println("parity " + difference);
        assertTrue(Double.isFinite(maxAbs) && difference.relative() <= COMPONENT_TOLERANCE, difference.toString());
        return difference;
    }

    /** {@link #assertMatches} against a fixture tensor stored in the layout the engine produces. */
    public static Difference assertMatches(String name, Tensor actual) throws IOException {
        return assertMatches(name, references().floats(name), shape(name), actual);
    }

    /** {@link #assertMatches} against an NCHW fixture tensor, transposed to the engine's NHWC. */
    public static Difference assertMatchesNhwc(String name, Tensor actual) throws IOException {
        long[] s = shape(name);
        return assertMatches(name, nchwToNhwc(references().floats(name), s), new long[] {s[0], s[2], s[3], s[1]}, actual);
    }

}
