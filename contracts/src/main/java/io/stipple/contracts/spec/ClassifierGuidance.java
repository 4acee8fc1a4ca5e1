package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * Classifier guidance (Dhariwal and Nichol 2021): adds {@code scale} times the gradient of the
 * noise-aware classifier's log-probability of {@code label} to each step.
 *
 * @param label an attribute label the bundled classifier knows, e.g. {@code "star"} or {@code "red"}
 * @param scale guidance strength
 */
public record ClassifierGuidance(String label, double scale) {

    public ClassifierGuidance {
        Envelope.require(label, "classifier_guidance", "label");
    }
}
