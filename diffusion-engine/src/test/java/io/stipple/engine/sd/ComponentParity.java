package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.weights.SafetensorsFile;
import java.io.IOException;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

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

    /** An int32 reference tensor (token ids). */
    public static TInt32 intTensor(String name) throws IOException {
        return TInt32.tensorOf(Shape.of(shape(name)), DataBuffers.of(references().ints(name), true, false));
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
