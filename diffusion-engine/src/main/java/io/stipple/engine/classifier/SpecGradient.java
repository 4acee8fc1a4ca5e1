package io.stipple.engine.classifier;

import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.ClassifierGradient;
import java.util.Arrays;
import java.util.List;

/**
 * Plugs the {@link NoiseAwareClassifier} into classifier guidance: row i of each sample is pushed
 * towards specs.get(i), e.g. {@code CaptionParser.parse(prompt)} for each image's prompt. The
 * classifier was trained on {@code addNoise} outputs, which is also what DDPM-type schedulers'
 * model inputs are (and Euler-type ones' after {@code scaleModelInput}).
 */
public final class SpecGradient implements ClassifierGradient {

    private final NoiseAwareClassifier classifier;
    private final List<SceneSpec> specs;

    public SpecGradient(NoiseAwareClassifier classifier, List<SceneSpec> specs) {
        this.classifier = classifier;
        this.specs = List.copyOf(specs);
    }

    @Override
    public float[] gradLogProbability(Tensor sample, float timestep) {
        if (sample.batchSize() != specs.size()) {
            throw new IllegalArgumentException("sample batch " + sample.batchSize() + " but " + specs.size() + " specs");
        }
        float[] timesteps = new float[specs.size()];
        Arrays.fill(timesteps, timestep);
        return classifier.logProbGradient(sample.data(), timesteps, specs).gradient();
    }
}
