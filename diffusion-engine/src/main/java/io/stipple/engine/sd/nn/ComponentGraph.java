package io.stipple.engine.sd.nn;

import io.stipple.engine.nn.Sessions;
import io.stipple.engine.weights.WeightSource;
import java.util.Set;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * One loaded network of a pipeline folder (text encoder, U-Net, VAE): its own graph, built once
 * for every batch and size, its session, and the weights assigned from a checkpoint. Holds the
 * handles the builder returned (placeholders and outputs) for the component to run.
 *
 * @param <H> the component's handles into the graph
 */
public final class ComponentGraph<H> implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final H handles;

    private ComponentGraph(Graph graph, Session session, H handles) {
        this.graph = graph;
        this.session = session;
        this.handles = handles;
    }

    /**
     * Builds the graph with {@code build} over weights named {@code prefix + key} and assigns them
     * from {@code weights}; on a refused checkpoint nothing stays open.
     *
     * @param buffers       checkpoint keys the network does not take (e.g. {@code position_ids})
     * @param sessionConfig thread pools; null for {@link Sessions#config()}
     */
    public static <H> ComponentGraph<H> load(String prefix, Set<String> buffers, WeightSource weights,
            ConfigProto sessionConfig, BiFunction<Ops, TorchWeights, H> build) {
        Graph graph = new Graph();
        Session session = null;
        try {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, prefix, buffers);
            H handles = build.apply(tf, w);
            session = new Session(graph, sessionConfig == null ? Sessions.config() : sessionConfig);
            w.load(session, weights);
            return new ComponentGraph<>(graph, session, handles);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    public Session session() {
        return session;
    }

    public H handles() {
        return handles;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
