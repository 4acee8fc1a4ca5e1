package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.weights.SafetensorsFile;
import java.io.IOException;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Feeds the sd-tiny fixture's reference tensors ({@link SdTiny}) to a component and compares its
 * NHWC outputs with the references, by the README's rule: within 1e-4 relative to their scale.
 */
public final class ComponentParity {

    /** "Component outputs within 1e-4 relative to their scale" (the fixture's README). */
    public static final double TOLERANCE = 1e-4;

    private static SafetensorsFile references;

    private ComponentParity() {
    }

    /** The reference tensors, opened once for the test JVM (a read-only mapping of a 5 MB file). */
    private static synchronized SafetensorsFile references() throws IOException {
        if (references == null) {
            references = SafetensorsFile.open(SdTiny.ROOT.resolve("fixture.safetensors"));
        }
        return references;
    }

    private static long[] shape(String name) throws IOException {
        return references().info(name).shape();
    }

    /** An NCHW reference tensor transposed to NHWC, to feed the engine. */
    public static TFloat32 nhwcTensor(String name) throws IOException {
        long[] s = shape(name);
        return TFloat32.tensorOf(Shape.of(s[0], s[2], s[3], s[1]), DataBuffers.of(nhwc(name, s), true, false));
    }

    /** A float reference tensor as stored (timesteps, text states), to feed the engine. */
    public static TFloat32 tensor(String name) throws IOException {
        return TFloat32.tensorOf(Shape.of(shape(name)), DataBuffers.of(references().floats(name), true, false));
    }

    /** An NCHW reference tensor as the engine's NHWC {@link io.stipple.engine.denoise.Tensor}. */
    public static io.stipple.engine.denoise.Tensor nhwcValues(String name) throws IOException {
        long[] s = shape(name);
        return io.stipple.engine.denoise.Tensor.of(nhwc(name, s), (int) s[0], (int) s[2], (int) s[3], (int) s[1]);
    }

    /** An int32 reference tensor [rows, length] as rows (token ids). */
    public static int[][] idRows(String name) throws IOException {
        long[] s = shape(name);
        int[] flat = references().ints(name);
        int[][] rows = new int[(int) s[0]][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOfRange(flat, r * (int) s[1], (r + 1) * (int) s[1]);
        }
        return rows;
    }

    /** A reference tensor's values as stored. */
    public static float[] floats(String name) throws IOException {
        return references().floats(name);
    }

    public static long[] referenceShape(String name) throws IOException {
        return shape(name);
    }

    private static float[] nhwc(String name, long[] s) throws IOException {
        return SdTiny.nchwToNhwc(references().floats(name), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }

    /** The largest absolute difference and the reference's largest magnitude. */
    public record Difference(String name, double maxAbs, double scale) {

        public double relative() {
            return maxAbs / scale;
        }

        @Override
        public String toString() {
            return String.format("%s: max-abs %.3g, scale %.3g, relative %.3g", name, maxAbs, scale, relative());
        }
    }

    /** Asserts {@code actual} matches reference {@code name}, stored in the layout the engine computes. */
    public static Difference assertMatches(String name, Tensor actual) throws IOException {
        return assertMatches(name, references().floats(name), shape(name), actual);
    }

    /** Asserts {@code actual} (NHWC) matches the NCHW reference {@code name}. */
    public static Difference assertMatchesNhwc(String name, Tensor actual) throws IOException {
        long[] s = shape(name);
        return assertMatches(name, nhwc(name, s), new long[] {s[0], s[2], s[3], s[1]}, actual);
    }

    /** {@link #assertMatchesNhwc(String, Tensor)} for an engine tensor. */
    public static Difference assertMatchesNhwc(String name, io.stipple.engine.denoise.Tensor actual) throws IOException {
        try (TFloat32 tensor = TensorBridge.toTensorFlow(actual)) {
            return assertMatchesNhwc(name, tensor);
        }
    }

    /** {@link #assertMatches(String, Tensor)} for an engine tensor. */
    public static Difference assertMatches(String name, io.stipple.engine.denoise.Tensor actual) throws IOException {
        try (TFloat32 tensor = TensorBridge.toTensorFlow(actual)) {
            return assertMatches(name, tensor);
        }
    }

    /** Asserts {@code actual} matches {@code expected} values (derived from references), named {@code name}. */
    public static Difference assertMatches(String name, float[] expected, long[] expectedShape, Tensor actual) {
        assertArrayEquals(expectedShape, actual.shape().asArray(), name + " shape");
        float[] values = new float[(int) actual.size()];
        ((TFloat32) actual).asRawTensor().data().asFloats().read(values);
        Difference difference = new Difference(name, SdTiny.maxAbsDiff(expected, values), SdTiny.maxAbs(expected));
        // Printed for the record: docs/model-format.md quotes these.
        System.out.println("parity " + difference);
        assertTrue(Double.isFinite(difference.maxAbs()) && difference.relative() <= TOLERANCE, difference.toString());
        return difference;
    }
}
