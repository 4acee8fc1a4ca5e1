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
        return config(threads, Math.min(2, threads));
    }

    /** Explicit pool sizes: threads one op may use, and ops run at the same time. */
    public static ConfigProto config(int intraOpThreads, int interOpThreads) {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .build();
    }

    public static Session create(Graph graph) {
        return new Session(graph, config());
    }
}
