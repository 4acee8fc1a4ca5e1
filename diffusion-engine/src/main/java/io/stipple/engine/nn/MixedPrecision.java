package io.stipple.engine.nn;

/**
 * The arithmetic a session runs its graphs in. {@link #ONEDNN_BF16} asks grappler's oneDNN
 * auto-mixed-precision pass to run matmuls, convolutions and the ops around them in bfloat16 (the
 * variables stay float32): about twice the matmul rate on CPUs with avx512_bf16 or AMX, at about
 * three significant digits per operation; the cost on the fixture is in docs/benchmarks.md.
 */
public enum MixedPrecision {
    FP32,
    ONEDNN_BF16
}
