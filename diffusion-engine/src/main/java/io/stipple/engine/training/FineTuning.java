package io.stipple.engine.training;

import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.engine.nn.Parameters;

/**
 * Which weights a diffusion training run updates.
 *
 * @param adapters LoRA adapters to add and train (everything else frozen), or null to train weights directly
 * @param trainTextEncoder without adapters: whether the text encoder ({@code text_*} weights) trains too
 */
public record FineTuning(LowRankAdapters adapters, boolean trainTextEncoder) {

    /** Every weight trains: base-model training and full DreamBooth. */
    public static final FineTuning FULL = new FineTuning(null, true);

    public static FineTuning unetOnly() {
        return new FineTuning(null, false);
    }

    public static FineTuning lora(int rank) {
        return new FineTuning(LowRankAdapters.attention(rank), false);
    }

    /** LoRA on the attention projections; with {@code textEncoder} the text encoder's attention gets adapters too. */
    public static FineTuning lora(int rank, boolean textEncoder) {
        return new FineTuning(LowRankAdapters.attention(rank, textEncoder), textEncoder);
    }

    void applyTo(Parameters parameters) {
        if (adapters != null) {
            parameters.withLowRankAdapters(adapters);
        } else if (!trainTextEncoder) {
            parameters.freezeWhere(name -> name.startsWith("text_"));
        }
    }
}
