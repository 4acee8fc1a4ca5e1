package io.stipple.engine.sd.train;

import java.util.List;

/**
 * Which layers a LoRA fine-tune adapts and how: PEFT's {@code LoraConfig} for one component.
 * A linear layer is adapted when its module path ends with one of the targets after a dot
 * ({@code to_q} matches {@code ...attn1.to_q}; {@code to_out.0} matches {@code ...attn2.to_out.0}),
 * as PEFT matches {@code target_modules}.
 *
 * @param component the diffusers component ({@code unet})
 * @param rank      r, the inner dimension of each update
 * @param alpha     lora_alpha: the update is scaled by alpha / r
 * @param targets   module-name suffixes, e.g. {@link #ATTENTION}
 */
public record LoraSpec(String component, int rank, double alpha, List<String> targets) {

    /** The attention projections diffusers' DreamBooth-LoRA script adapts in the U-Net. */
    public static final List<String> ATTENTION = List.of("to_k", "to_q", "to_v", "to_out.0");

    public LoraSpec {
        if (rank < 1 || !(alpha > 0) || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs rank >= 1, alpha > 0 and at least one target: rank " + rank
                    + ", alpha " + alpha + ", targets " + targets);
        }
        targets = List.copyOf(targets);
    }

    /** The script's default: the U-Net's attention projections, alpha equal to the rank (scale 1). */
    public static LoraSpec unetAttention(int rank) {
        return new LoraSpec("unet", rank, rank, ATTENTION);
    }

    public boolean adapts(String module) {
        return targets.stream().anyMatch(target -> module.equals(target) || module.endsWith("." + target));
    }

    /** alpha / rank. */
    public double scale() {
        return alpha / rank;
    }
}
