package io.stipple.engine.classifier;

import io.stipple.engine.data.SceneSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The classifier-guidance classifier: p(attributes | x_t, t) for noisy samples of the base
 * model's diffusion schedule, and the gradient d log p(y | x_t) / d x_t that classifier guidance
 * adds to the score (Dhariwal and Nichol 2021). y is a prompt's {@link SceneSpec}: omitted
 * attributes do not enter the log-probability.
 */
public final class NoiseAwareClassifier extends SavedClassifier {

    public NoiseAwareClassifier(Path directory) {
        super(directory);
        if (!noiseAware()) {
            throw new IllegalArgumentException(directory + " is a clean classifier, not a noise-aware one");
        }
        Signature gradient = signature(ClassifierExport.LOG_PROB_GRADIENT);
        if (!gradient.getInputs().keySet().containsAll(List.of("images", "timesteps", "labels"))
                || !gradient.getOutputs().containsKey("gradient")) {
            throw new IllegalArgumentException(directory + ": signature '" + ClassifierExport.LOG_PROB_GRADIENT
                    + "' needs inputs images, timesteps, labels and output gradient");
        }
    }

    /** Predictions for noisy samples at their timesteps. */
    public Classification classify(float[] nhwc, int count, float[] timesteps) {
        return classifyAtResolution(nhwc, count, timesteps);
    }

    /** log p(spec_i | x_i, t_i) per row and its gradient with respect to x_i (same layout as the images). */
    public record LogProbGradient(float[] logProb, float[] gradient) {
    }

    /**
     * d log p(spec_i | x_i, t_i) / d x_i for each row i, with the log-probabilities themselves.
     *
     * @param specs one spec per row (rows with an empty spec get log p = 0 and a zero gradient)
     */
    public LogProbGradient logProbGradient(float[] nhwc, float[] timesteps, List<SceneSpec> specs) {
        int count = timesteps.length;
        if (specs.size() != count || nhwc.length != count * resolution * resolution * 3) {
            throw new IllegalArgumentException("need " + count + " specs and images of " + resolution + "x" + resolution);
        }
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, resolution, resolution, 3), DataBuffers.of(nhwc));
             TFloat32 t = TFloat32.vectorOf(timesteps);
             TFloat32 labels = TFloat32.tensorOf(Shape.of(count, LabelLayout.WIDTH),
                     DataBuffers.of(LabelLayout.encodeSpecs(specs)));
             Result result = bundle.function(ClassifierExport.LOG_PROB_GRADIENT)
                     .call(Map.of("images", images, "timesteps", t, "labels", labels))) {
            return new LogProbGradient(read((TFloat32) result.get("log_prob").orElseThrow()),
                    read((TFloat32) result.get("gradient").orElseThrow()));
        }
    }
}
