package io.stipple.engine.nn;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** Creates sessions with the thread settings measured fastest on the project's 2-core machines. */
public final class Sessions {

    private Sessions() {
    }

    public static ConfigProto config() {
        int threads = Math.max(1, Integer.getInteger("stipple.tf.threads", Runtime.getRuntime().availableProcessors()));
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(Math.min(2, threads))
                .build();
    }

    public static Session create(Graph graph) {
        return new Session(graph, config());
    }
}
