package io.stipple.engine.export;

import io.stipple.engine.weights.ModelFormatException;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A user's SavedModel with the wrong signature is refused on load, with the problem named. */
class SignatureValidationTest {

    private interface SignatureMaker {
        Signature make(Ops tf);
    }

    private static Path export(Path dir, SignatureMaker maker) throws Exception {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Signature signature = maker.make(tf);
            SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
        }
        return dir;
    }

    private static Placeholder<TFloat32> image(Ops tf, String name) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
    }

    private static String loadError(Path dir) {
        return assertThrows(ModelFormatException.class, () -> SavedModelDenoiser.load(dir).close()).getMessage();
    }

    @Test
    void missingDenoiseSignature(@TempDir Path dir) throws Exception {
        Path model = export(dir.resolve("m"), tf -> {
            var x = image(tf, "x");
            return Signature.builder("serving_default").input("x", x).output("y", tf.identity(x)).build();
        });
        String message = loadError(model);
        assertTrue(message.contains("no 'denoise' signature") && message.contains("serving_default"), message);
    }

    @Test
    void missingTimestepInput(@TempDir Path dir) throws Exception {
        Path model = export(dir.resolve("m"), tf -> {
            var x = image(tf, "sample");
            return Signature.builder("denoise").input("sample", x).output("output", tf.identity(x)).build();
        });
        String message = loadError(model);
        assertTrue(message.contains("lacks the input 'timestep'"), message);
    }

    @Test
    void timestepOfTheWrongType(@TempDir Path dir) throws Exception {
        Path model = export(dir.resolve("m"), tf -> {
            var x = image(tf, "sample");
            var t = tf.withName("timestep").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            return Signature.builder("denoise").input("sample", x).input("timestep", t)
                    .output("output", tf.identity(x)).build();
        });
        String message = loadError(model);
        assertTrue(message.contains("'timestep' has type DT_INT32, expected DT_FLOAT"), message);
    }

    @Test
    void outputShapeDifferentFromTheSample(@TempDir Path dir) throws Exception {
        Path model = export(dir.resolve("m"), tf -> {
            var x = image(tf, "sample");
            var t = tf.withName("timestep").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 3)));
            return Signature.builder("denoise").input("sample", x).input("timestep", t).input("y", y)
                    .output("output", tf.identity(y)).build();
        });
        String message = loadError(model);
        assertTrue(message.contains("output shape") && message.contains("differs from its sample shape"), message);
    }
}
