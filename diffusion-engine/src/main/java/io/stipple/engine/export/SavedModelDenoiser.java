package io.stipple.engine.export;

import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.unet.ModelInputs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Denoiser} that runs the {@code denoise} signature of any SavedModel in the format of
 * docs/model-format.md, so users can bring their own networks. Inputs besides {@code sample}
 * and {@code timestep} (e.g. {@code text_embedding}, {@code low_res}, {@code aug_level}) come
 * from the {@link Conditioning} by name. The signature is validated when loading, and each call
 * checks that the conditioning provides exactly the inputs the model takes.
 */
public final class SavedModelDenoiser implements Denoiser, AutoCloseable {

    /** What closing this denoiser closes (its own SavedModel), or null when it shares another's session. */
    private final SavedModelBundle ownedBundle;
    private final SessionFunction denoise;
    private final Shape sampleShape;
    private final Map<String, Shape> conditioningShapes = new LinkedHashMap<>();

    SavedModelDenoiser(Map<String, org.tensorflow.Signature> signatures, Session session,
            SavedModelBundle ownedBundle, String modelPath) {
        this.ownedBundle = ownedBundle;
        SignatureCheck check = SignatureCheck.of(signatures, ModelInputs.DENOISE, modelPath);
        this.sampleShape = check.input(ModelInputs.SAMPLE, DataType.DT_FLOAT, 4);
        check.input(ModelInputs.TIMESTEP, DataType.DT_FLOAT, 1);
        Shape output = check.output(ModelInputs.OUTPUT, DataType.DT_FLOAT, 4);
        for (int axis = 1; axis < 4; axis++) {
            if (output.get(axis) != sampleShape.get(axis)) {
                throw new ModelFormatException("signature 'denoise' output shape " + output
                        + " differs from its sample shape " + sampleShape);
            }
        }
        for (var entry : check.signature().getInputs().entrySet()) {
            String name = entry.getKey();
            if (!name.equals(ModelInputs.SAMPLE) && !name.equals(ModelInputs.TIMESTEP)) {
                if (entry.getValue().dataType != DataType.DT_FLOAT) {
                    throw new ModelFormatException("signature 'denoise' input '" + name + "' has type "
                            + entry.getValue().dataType + "; conditioning inputs must be DT_FLOAT");
                }
                conditioningShapes.put(name, entry.getValue().shape);
            }
        }
        this.denoise = SessionFunction.create(check.signature(), session);
    }

    static Map<String, org.tensorflow.Signature> signatures(SavedModelBundle bundle) {
        Map<String, org.tensorflow.Signature> signatures = new LinkedHashMap<>();
        bundle.signatures().forEach(s -> signatures.put(s.key(), s));
        return signatures;
    }

    /** Loads the SavedModel directory and validates its {@code denoise} signature. */
    public static SavedModelDenoiser load(Path savedModelDir) {
        SavedModelBundle bundle = SavedModelBundle.load(savedModelDir.toString(), SavedModelBundle.DEFAULT_TAG);
        try {
            return new SavedModelDenoiser(signatures(bundle), bundle.session(), bundle, savedModelDir.toString());
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Names of the conditioning inputs this model needs. */
    public Set<String> conditioningInputs() {
        return new LinkedHashSet<>(conditioningShapes.keySet());
    }

    /** Dimensions of a conditioning input as the signature declares them (-1 for any). */
    public long[] conditioningShape(String name) {
        Shape shape = conditioningShapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("the model has no conditioning input '" + name + "'");
        }
        return shape.isUnknown() ? new long[0] : shape.asArray();
    }

    /** [H, W, C] of the samples this model denoises. */
    public int[] sampleShape() {
        return new int[] {(int) sampleShape.get(1), (int) sampleShape.get(2), (int) sampleShape.get(3)};
    }

    @Override
    public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning) {
        int batch = sample.batchSize();
        int[] expected = sampleShape();
        if (sample.shape().length != 4 || !Arrays.equals(Arrays.copyOfRange(sample.shape(), 1, 4), expected)) {
            throw new IllegalArgumentException("sample shape " + Arrays.toString(sample.shape())
                    + " does not match the model's [batch, " + expected[0] + ", " + expected[1] + ", " + expected[2] + "]");
        }
        if (timesteps.length != batch || conditioning.batchSize() != batch) {
            throw new IllegalArgumentException("batch " + batch + " but " + timesteps.length + " timesteps and "
                    + "conditioning batch " + conditioning.batchSize());
        }
        if (!conditioning.names().equals(conditioningShapes.keySet())) {
            throw new IllegalArgumentException("the model takes conditioning inputs " + conditioningShapes.keySet()
                    + " but got " + conditioning.names());
        }
        Map<String, org.tensorflow.Tensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put(ModelInputs.SAMPLE, tensor(sample));
            inputs.put(ModelInputs.TIMESTEP, TFloat32.vectorOf(timesteps));
            for (String name : conditioningShapes.keySet()) {
                inputs.put(name, tensor(conditioning.get(name)));
            }
            try (Result result = denoise.call(inputs)) {
                TFloat32 output = (TFloat32) result.get(ModelInputs.OUTPUT).orElseThrow();
                float[] values = new float[(int) output.size()];
                output.asRawTensor().data().asFloats().read(values);
                return values;
            }
        } finally {
            inputs.values().forEach(org.tensorflow.Tensor::close);
        }
    }

    static TFloat32 tensor(Tensor value) {
        long[] dims = Arrays.stream(value.shape()).asLongStream().toArray();
        return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(value.data(), true, false));
    }

    @Override
    public void close() {
        if (ownedBundle != null) {
            ownedBundle.close();
        }
    }
}
