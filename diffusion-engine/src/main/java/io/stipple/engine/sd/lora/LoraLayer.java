package io.stipple.engine.sd.lora;

import java.util.Arrays;

/**
 * One layer a LoRA file changes: the base layer's weight {@code W} (torch {@code [out, in]}, or a
 * convolution's {@code [out, in, kh, kw]}) gains {@code (alpha / rank) * up @ down}, where
 * {@code down} is {@code [rank, in(, kh, kw)]} and {@code up} is {@code [out, rank(, 1, 1)]}: for a
 * linear layer {@code y = x W^T + s (alpha/rank) x down^T up^T} at a user scale {@code s}.
 *
 * @param component the diffusers component: {@code unet} or {@code text_encoder}
 * @param module    the base layer's module path in that component; its weight is {@code module + ".weight"}
 * @param rank      the rank, {@code down}'s first dimension
 * @param alpha     the file's alpha (the rank when the file gives none, so that alpha/rank is 1)
 * @param downKey   the file's key of {@code down} (PEFT's {@code lora_A})
 * @param upKey     the file's key of {@code up} (PEFT's {@code lora_B})
 * @param downShape {@code down}'s torch shape
 * @param upShape   {@code up}'s torch shape
 */
public record LoraLayer(String component, String module, int rank, double alpha, String downKey, String upKey,
        long[] downShape, long[] upShape) {

    public LoraLayer {
        downShape = downShape.clone();
        upShape = upShape.clone();
    }

    /** The base weight this layer changes. */
    public String baseWeight() {
        return module + ".weight";
    }

    /** alpha / rank, the factor the file asks for before the user's scale. */
    public double fileScale() {
        return alpha / rank;
    }

    @Override
    public long[] downShape() {
        return downShape.clone();
    }

    @Override
    public long[] upShape() {
        return upShape.clone();
    }

    @Override
    public String toString() {
        return component + "." + module + " rank " + rank + " alpha " + alpha + " down " + Arrays.toString(downShape)
                + " up " + Arrays.toString(upShape);
    }
}
