package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * A LoRA version applied to a generation's base model at a scale, written
 * {@code {"model": "name@version", "scale": 0.8}}: its update is added scale times to the base's
 * layers it names (1: as trained, 0: off, negative: pushed the other way).
 *
 * @param model the LoRA version; it must adapt the job's model
 * @param scale its weight, within [{@value #MIN_SCALE}, {@value #MAX_SCALE}]
 */
public record LoraRef(ModelRef model, double scale) {

    /** Scales beyond +-4 let the LoRA's update swamp the base weights; no published LoRA asks for them. */
    public static final String MIN_SCALE = "-4.0";
    public static final String MAX_SCALE = "4.0";

    private static final String TYPE = "lora";

    public LoraRef {
        Envelope.require(model, TYPE, "model");
        if (!Double.isFinite(scale) || scale < Double.parseDouble(MIN_SCALE) || scale > Double.parseDouble(MAX_SCALE)) {
            throw new IllegalArgumentException(TYPE + " " + model + ": scale must lie in [" + MIN_SCALE + ", " + MAX_SCALE
                    + "], got " + scale);
        }
    }

    /** {@code name@version:scale}, as the PNG parameters record it. */
    @Override
    public String toString() {
        return model + ":" + scale;
    }
}
