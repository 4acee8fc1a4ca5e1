package io.stipple.engine.nn;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/** Creates sessions with the thread settings measured fastest on the project's 2-core machines. */
public final class Sessions {

    private Sessions() {
    }

    public static ConfigProto config() {
        int threads = Math.max(1, Integer.getInteger("stipple.tf.threads", Runtime.getRuntime().availableProcessors()));
        return config(threads, Math.min(2, threads), false);
    }

    /** Explicit pool sizes: threads one op may use, and ops run at the same time. */
    public static ConfigProto config(int intraOpThreads, int interOpThreads) {
        return config(intraOpThreads, interOpThreads, false);
    }

    /**
     * Explicit settings; {@code 0} threads leaves TensorFlow's default. {@code xla} asks for XLA
     * auto-clustering, which on a CPU only takes effect when the process also runs with
     * {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}.
     */
    public static ConfigProto config(int intraOpThreads, int interOpThreads, boolean xla) {
        return config(intraOpThreads, interOpThreads, xla, MixedPrecision.FP32);
    }

    /** As {@link #config(int, int, boolean)}, in the given arithmetic. */
    public static ConfigProto config(int intraOpThreads, int interOpThreads, boolean xla, MixedPrecision precision) {
        ConfigProto.Builder builder = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads);
        GraphOptions.Builder graph = GraphOptions.newBuilder();
        if (xla) {
            graph.setOptimizerOptions(OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1));
        }
        if (precision == MixedPrecision.ONEDNN_BF16) {
            graph.setRewriteOptions(RewriterConfig.newBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON));
        }
        return builder.setGraphOptions(graph).build();
    }

    public static Session create(Graph graph) {
        return new Session(graph, config());
    }
}
