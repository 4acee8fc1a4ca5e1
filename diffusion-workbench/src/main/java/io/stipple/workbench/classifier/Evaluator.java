package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.Classification;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.workbench.metrics.AttributeTally;
import io.stipple.workbench.metrics.FrechetDistance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores generated images with the clean {@link AttributeClassifier}: per-attribute adherence to
 * the intended specs, Fréchet distance in the classifier's feature space against real renders of
 * the held-out TEST seeds, and the classifier's own accuracy on those renders. The real reference
 * (features and accuracy) is computed once per resolution and reused across calls, so one
 * evaluator can score many sampler settings cheaply.
 *
 * <p>Intended use ({@code eval}): take the prompts of {@link #testSamples(int)}, generate one image
 * per prompt, and pass the images with the samples' specs.
 */
public final class Evaluator {

    private static final int CHUNK = 100;

    private final AttributeClassifier classifier;
    private final int realImages;
    private final Map<Integer, RealRenderScores> references = new HashMap<>();

    /** @param realImages how many real TEST renders form the reference set (at least 200 recommended) */
    public Evaluator(AttributeClassifier classifier, int realImages) {
        if (realImages < 2) {
            throw new IllegalArgumentException("need at least 2 real images, got " + realImages);
        }
        this.classifier = classifier;
        this.realImages = realImages;
    }

    /** The first {@code count} held-out TEST samples: their captions are the evaluation prompts. */
    public static List<Sample> testSamples(int count) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(ProceduralShapes.sample(Split.TEST, i));
        }
        return samples;
    }

    /**
     * @param generated NHWC images of side {@code size}, values in [-1, 1]
     * @param specs     what each image's prompt asked for (e.g. {@code CaptionParser.parse(prompt)})
     */
    public EvaluationReport evaluate(float[] generated, int size, List<SceneSpec> specs) {
        int count = specs.size();
        if (count < 2 || generated.length != count * size * size * 3) {
            throw new IllegalArgumentException("need at least 2 images of " + size + "x" + size + ", one per spec");
        }
        AttributeTally adherence = new AttributeTally();
        float[] features = null;
        int stride = size * size * 3;
        for (int first = 0; first < count; first += CHUNK) {
            int n = Math.min(CHUNK, count - first);
            float[] chunk = new float[n * stride];
            System.arraycopy(generated, first * stride, chunk, 0, n * stride);
            Classification result = classifier.classify(chunk, n, size);
            for (int i = 0; i < n; i++) {
                adherence.add(specs.get(first + i), result.classes()[i]);
            }
            features = Classification.append(features, result.features());
        }
        RealRenderScores real = reference(size);
        double distance = FrechetDistance.between(FrechetDistance.statistics(features, count),
                FrechetDistance.statistics(real.features(), real.count()));
        return new EvaluationReport(count, size, adherence.scores(), adherence.allRate(), distance, realImages,
                real.accuracy().scores());
    }

    private RealRenderScores reference(int size) {
        return references.computeIfAbsent(size, s -> RealRenderScores.measure(classifier, realImages, s));
    }
}
