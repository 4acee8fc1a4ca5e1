package io.stipple.workbench.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.workbench.metrics.AttributeTally.AttributeScore;
import java.util.Map;

/**
 * What {@link Evaluator} measured for one set of generated images; {@link #toJson()} is the
 * one-line JSON the {@code eval} command prints last.
 *
 * @param images             generated images scored
 * @param resolution         their side in pixels
 * @param adherence          per attribute: share of images whose classified attribute is what the
 *                           prompt asked for (attributes the prompt omitted count as right)
 * @param adherenceAll       share of images right on every attribute at once
 * @param frechetDistance    squared Fréchet distance between the classifier's penultimate features
 *                           of the generated images and of {@code realImages} real TEST renders at
 *                           the same resolution
 * @param realImages         size of that real reference set
 * @param classifierAccuracy the classifier's own accuracy on those real renders (how far its
 *                           verdicts can be trusted)
 */
public record EvaluationReport(int images, int resolution, Map<String, AttributeScore> adherence, double adherenceAll,
                               double frechetDistance, int realImages, Map<String, AttributeScore> classifierAccuracy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public EvaluationReport {
        adherence = Map.copyOf(adherence);
        classifierAccuracy = Map.copyOf(classifierAccuracy);
    }

    /** A single-line JSON object. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    public static EvaluationReport fromJson(String json) {
        try {
            return JSON.readValue(json, EvaluationReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an evaluation report: " + e.getOriginalMessage(), e);
        }
    }
}
