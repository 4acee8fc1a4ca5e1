package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.ClassifierConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stipple.workbench.metrics.AttributeTally.AttributeScore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What sits next to an exported classifier as {@code card.json}: how it was made and how well it
 * does on real test renders.
 *
 * @param kind                 "clean" or "noise-aware"
 * @param command              the command that reproduces it
 * @param schedulerConfig      the diffusion schedule (noise-aware only; JSON as in scheduler_config.json)
 * @param accuracy             per attribute on real TEST renders at the native resolution
 *                             (noise-aware: at t = 0)
 * @param accuracyFrom64       clean only: on 64x64 TEST renders area-downsampled to the input size
 * @param accuracyByTimestep   noise-aware only: on TEST renders noised to each training timestep
 */
public record ClassifierCard(String kind, String command, ClassifierConfig config, long seed, long steps,
                             int batchSize, long parameters, double trainingSeconds, String schedulerConfig,
                             int testImages, Map<String, AttributeScore> accuracy,
                             Map<String, AttributeScore> accuracyFrom64,
                             Map<Integer, Map<String, AttributeScore>> accuracyByTimestep) {

    public static final String FILE = "card.json";

    public void write(Path directory) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(directory.resolve(FILE).toFile(), this);
    }

    public static ClassifierCard read(Path directory) throws IOException {
        return new ObjectMapper().readValue(directory.resolve(FILE).toFile(), ClassifierCard.class);
    }
}
