package io.stipple.engine.sd.lora;

/** A LoRA file applied at a user's scale (1: as trained; 0: off). */
public record ScaledLora(LoraFile file, double scale) {

    public ScaledLora {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("LoRA scale " + scale + " for " + file + " is not a number");
        }
    }
}
