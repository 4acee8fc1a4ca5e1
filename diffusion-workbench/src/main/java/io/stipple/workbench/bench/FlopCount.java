package io.stipple.workbench.bench;

import java.util.Map;

/**
 * The arithmetic of one forward pass at one batch size, as {@link ForwardFlops} counts it.
 *
 * @param flops         multiply-accumulate work of the MatMul, BatchMatMul and Conv2D ops, two
 *                      FLOPs per multiply-add
 * @param flopsByOpType the same split by op type
 * @param otherElements output elements of every other op on the path (bias adds, norms, SiLU,
 *                      softmax, reshapes ...): memory-bound work the FLOP figure leaves out
 * @param opCount       ops on the path from the inputs to the output
 */
public record FlopCount(int batch, long flops, Map<String, Long> flopsByOpType, long otherElements, int opCount) {

    public double gigaFlops() {
        return flops / 1e9;
    }
}
