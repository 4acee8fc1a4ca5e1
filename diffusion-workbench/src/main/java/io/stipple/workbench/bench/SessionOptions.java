package io.stipple.workbench.bench;

import io.stipple.engine.nn.MixedPrecision;
import io.stipple.engine.nn.Sessions;
import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.Option;

/** TensorFlow session settings shared by the benchmark commands (picocli mixin). */
public final class SessionOptions {

    @Option(names = "--intra-op", defaultValue = "0", description = "TensorFlow intra-op threads (0: TensorFlow's default).")
    int intraOp;

    @Option(names = "--inter-op", defaultValue = "0", description = "TensorFlow inter-op threads (0: TensorFlow's default).")
    int interOp;

    @Option(names = "--xla", description = "XLA auto-clustering (needs TF_XLA_FLAGS=--tf_xla_cpu_global_jit on a CPU).")
    boolean xla;

    @Option(names = "--precision", defaultValue = "FP32",
            description = "FP32, or ONEDNN_BF16: grappler's oneDNN bfloat16 auto-mixed precision (avx512_bf16 or AMX CPUs).")
    MixedPrecision precision;

    public ConfigProto config() {
        return Sessions.config(intraOp, interOp, xla, precision);
    }
}
