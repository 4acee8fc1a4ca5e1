package io.stipple.workbench.metrics;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.SceneSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts, per attribute, how often predicted classes satisfy what was asked. The rule: an
 * attribute the spec omits counts as right whatever was predicted (the prompt allowed any value).
 * With full specs of real scenes this is the classifier's plain accuracy. Not thread-safe.
 */
public final class AttributeTally {

    private final int[] right = new int[Attribute.values().length];
    private final int[] named = new int[Attribute.values().length];
    private int samples;
    private int allRight;

    /** Records one image: {@code predicted[attribute.ordinal()]} is the predicted class index. */
    public void add(SceneSpec spec, int[] predicted) {
        if (predicted.length != Attribute.values().length) {
            throw new IllegalArgumentException("need one prediction per attribute, got " + predicted.length);
        }
        boolean all = true;
        for (Attribute attribute : Attribute.values()) {
            int i = attribute.ordinal();
            if (spec.names(attribute)) {
                named[i]++;
            }
            if (spec.accepts(attribute, predicted[i])) {
                right[i]++;
            } else {
                all = false;
            }
        }
        samples++;
        if (all) {
            allRight++;
        }
    }

    public int samples() {
        return samples;
    }

    /** Fraction of images whose prediction satisfied the attribute (omitted = satisfied). */
    public double rate(Attribute attribute) {
        return samples == 0 ? Double.NaN : (double) right[attribute.ordinal()] / samples;
    }

    /** Fraction of images satisfying every attribute at once. */
    public double allRate() {
        return samples == 0 ? Double.NaN : (double) allRight / samples;
    }

    /** Per attribute key ("shape", ...): the score, in attribute order. */
    public Map<String, AttributeScore> scores() {
        Map<String, AttributeScore> scores = new LinkedHashMap<>();
        for (Attribute attribute : Attribute.values()) {
            int i = attribute.ordinal();
            scores.put(attribute.key(), new AttributeScore(rate(attribute), right[i], samples, named[i]));
        }
        return scores;
    }

    /**
     * @param rate  right / total
     * @param named how many of the total specs named the attribute (the rest were free)
     */
    public record AttributeScore(double rate, int right, int total, int named) {
    }
}
