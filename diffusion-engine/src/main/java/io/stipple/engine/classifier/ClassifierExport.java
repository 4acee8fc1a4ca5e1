package io.stipple.engine.classifier;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.nn.Sessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Writes a classifier as a TensorFlow SavedModel (tag "serve") with these signatures:
 * <pre>
 * classify            in:  images [B,R,R,3] in [-1,1]  (+ timesteps [B] float if noise-aware)
 *                     out: features [B,F], logits_shape, logits_colour, logits_size,
 *                          logits_position, logits_background  [B, classes]
 * log_prob_gradient   (noise-aware only)
 *                     in:  images, timesteps, labels [B,30] (see LabelLayout; zeros = omitted)
 *                     out: log_prob [B], gradient [B,R,R,3] = d log p(labels | x_t) / d x_t
 * </pre>
 * The weights written are the ones given (the trainer's EMA weights), loaded into a fresh
 * inference graph that has no optimizer state.
 */
public final class ClassifierExport {

    public static final String CLASSIFY = "classify";
    public static final String LOG_PROB_GRADIENT = "log_prob_gradient";

    private ClassifierExport() {
    }

    public static void export(ClassifierConfig config, Map<String, TFloat32> weights, Path directory)
            throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Parameters parameters = new Parameters(tf, 0);
            ClassifierNetwork network = new ClassifierNetwork(tf, parameters, config);
            Signature.Builder classify = Signature.builder(CLASSIFY).input("images", network.images)
                    .output("features", network.features);
            List<Attribute> attributes = List.of(Attribute.values());
            for (Attribute attribute : attributes) {
                classify.output("logits_" + attribute.key(), network.logits.get(attribute.ordinal()));
            }
            Signature.Builder gradient = null;
            if (config.noiseAware()) {
                classify.input("timesteps", network.timesteps);
                Operand<TFloat32> grad = tf.gradients(tf.sum(network.logProb, tf.constant(0)),
                        List.of(network.images)).dy(0);
                gradient = Signature.builder(LOG_PROB_GRADIENT)
                        .input("images", network.images)
                        .input("timesteps", network.timesteps)
                        .input("labels", network.labels)
                        .output("log_prob", network.logProb)
                        .output("gradient", grad);
            }
            try (Session session = Sessions.create(graph)) {
                session.initialize();
                parameters.load(session, weights);
                SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(directory.toString())
                        .withSession(session)
                        .withSignature(classify.build());
                if (gradient != null) {
                    exporter.withSignature(gradient.build());
                }
                exporter.export();
            }
        }
    }
}
