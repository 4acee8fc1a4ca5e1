package io.stipple.engine.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Save and restore ops (SaveV2 / RestoreV2: a standard TensorFlow checkpoint, {@code <prefix>.index}
 * + {@code <prefix>.data-*}) over what training changes: every variable of the graph except the
 * frozen weights, so trained weights, optimizer slots, EMA shadows and the step counter. Frozen
 * weights are left out because they never change: they are the weights the run started from (a
 * fine-tune's base model, or the seeded initialisation), which the caller loads again before a
 * restore. A LoRA checkpoint therefore holds the adapters' state and not a copy of its base.
 */
public final class TrainingState {

    private static final String VARIABLE = "VariableV2";

    private final Placeholder<TString> prefix;
    private final Op save;
    private final Op restore;
    private final List<String> names;

    private TrainingState(Placeholder<TString> prefix, Op save, Op restore, List<String> names) {
        this.prefix = prefix;
        this.save = save;
        this.restore = restore;
        this.names = names;
    }

    /** Adds the ops to {@code graph}: every variable it holds now, except those named in {@code frozen}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TrainingState of(Graph graph, Ops tf, Set<String> frozen) {
        List<GraphOperation> variables = new ArrayList<>();
        graph.operations().forEachRemaining(op -> {
            if (op.type().equals(VARIABLE) && !frozen.contains(op.name())) {
                variables.add(op);
            }
        });
        variables.sort(Comparator.comparing(GraphOperation::name));
        List<String> names = variables.stream().map(GraphOperation::name).toList();
        Placeholder<TString> prefix = tf.withName("checkpoint_prefix").placeholder(TString.class,
                Placeholder.shape(Shape.scalar()));
        Operand<TString> tensorNames = tf.constant(StandardCharsets.UTF_8, names.toArray(String[]::new));
        Operand<TString> slices = tf.constant(StandardCharsets.UTF_8, names.stream().map(n -> "").toArray(String[]::new));
        List<Operand<?>> values = new ArrayList<>();
        List<Class<? extends TType>> types = new ArrayList<>();
        for (GraphOperation variable : variables) {
            Output<?> value = variable.output(0);
            values.add(value);
            types.add(value.type());
        }
        Op save = tf.train.save(prefix, tensorNames, slices, values);
        Restore restored = tf.train.restore(prefix, tensorNames, slices, types);
        List<Op> assigns = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            assigns.add(tf.assign((Operand) variables.get(i).output(0), (Operand) restored.tensors().get(i)));
        }
        Op restore = tf.withControlDependencies(assigns).noOp();
        return new TrainingState(prefix, save, restore, names);
    }

    public void save(Session session, String path) {
        run(session, save, path);
    }

    public void restore(Session session, String path) {
        run(session, restore, path);
    }

    /** The variables a checkpoint holds, by name. */
    public List<String> names() {
        return names;
    }

    private void run(Session session, Op target, String path) {
        try (TString file = TString.scalarOf(path)) {
            session.runner().feed(prefix, file).addTarget(target).run().close();
        }
    }
}
