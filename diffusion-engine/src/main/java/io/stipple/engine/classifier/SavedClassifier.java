package io.stipple.engine.classifier;

import io.stipple.engine.data.Attribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * A classifier SavedModel written by {@link ClassifierExport}, opened and checked: the
 * {@code classify} signature must have the inputs and outputs that export writes. Shared by the
 * clean and the noise-aware classifier. Opens either a SavedModel directory or a model version
 * folder holding one in {@code saved_model/} (the bundled layout, see docs/model-format.md).
 */
public abstract class SavedClassifier implements AutoCloseable {

    /** The SavedModel's sub-folder in a model version folder. */
    public static final String SAVED_MODEL = "saved_model";

    protected final SavedModelBundle bundle;
    protected final int resolution;
    protected final int featureDim;
    private final boolean noiseAware;

    protected SavedClassifier(Path folder) {
        Path directory = Files.isDirectory(folder.resolve(SAVED_MODEL)) ? folder.resolve(SAVED_MODEL) : folder;
        if (!Files.isRegularFile(directory.resolve("saved_model.pb"))) {
            throw new IllegalArgumentException("no SavedModel (saved_model.pb) in " + directory);
        }
        this.bundle = SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
        Signature classify = signature(ClassifierExport.CLASSIFY);
        Signature.TensorDescription images = classify.getInputs().get("images");
        if (images == null || classify.getOutputs().get("features") == null) {
            throw new IllegalArgumentException(directory + ": signature 'classify' needs input 'images' and output 'features'");
        }
        for (Attribute attribute : Attribute.values()) {
            Signature.TensorDescription logits = classify.getOutputs().get("logits_" + attribute.key());
            if (logits == null || logits.shape.get(1) != attribute.classes()) {
                throw new IllegalArgumentException(directory + ": 'classify' needs output logits_" + attribute.key()
                        + " with " + attribute.classes() + " classes");
            }
        }
        this.resolution = (int) images.shape.get(1);
        this.featureDim = (int) classify.getOutputs().get("features").shape.get(1);
        this.noiseAware = classify.getInputs().containsKey("timesteps");
    }

    protected final Signature signature(String key) {
        return bundle.signatures().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the SavedModel has no signature '" + key + "'"));
    }

    public boolean noiseAware() {
        return noiseAware;
    }

    /** The input resolution the network was trained at. */
    public int resolution() {
        return resolution;
    }

    /** Runs {@code classify} on a batch already at {@link #resolution()}; timesteps only if noise-aware. */
    protected Classification classifyAtResolution(float[] nhwc, int count, float[] timesteps) {
        SessionFunction classify = bundle.function(ClassifierExport.CLASSIFY);
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, resolution, resolution, 3), DataBuffers.of(nhwc));
             TFloat32 t = TFloat32.vectorOf(timesteps == null ? new float[count] : timesteps)) {
            Map<String, Tensor> inputs = noiseAware ? Map.of("images", images, "timesteps", t) : Map.of("images", images);
            try (Result result = classify.call(inputs)) {
                int[][] classes = new int[count][Attribute.values().length];
                for (Attribute attribute : Attribute.values()) {
                    float[] logits = read((TFloat32) result.get("logits_" + attribute.key()).orElseThrow());
                    int width = attribute.classes();
                    for (int i = 0; i < count; i++) {
                        classes[i][attribute.ordinal()] = argMax(logits, i * width, width);
                    }
                }
                float[] features = read((TFloat32) result.get("features").orElseThrow());
                return new Classification(classes, features, featureDim);
            }
        }
    }

    static float[] read(TFloat32 tensor) {
        float[] values = new float[(int) tensor.shape().size()];
        FloatDataBuffer buffer = DataBuffers.of(values, false, false);
        tensor.copyTo(buffer);
        return values;
    }

    private static int argMax(float[] values, int from, int width) {
        int best = 0;
        for (int k = 1; k < width; k++) {
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
