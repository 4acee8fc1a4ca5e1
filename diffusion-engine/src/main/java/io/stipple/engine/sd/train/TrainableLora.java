package io.stipple.engine.sd.train;

import io.stipple.engine.sd.nn.LinearAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * LoRA adapters as trainable graph variables over a component's frozen base weights: every
 * linear layer that {@link LoraSpec#adapts} becomes {@code y = x W^T + b + (alpha/r) (x A^T) B^T},
 * PEFT's forward with A {@code [r, in]} and B {@code [out, r]} in torch layout. Install on the
 * component's {@code TorchWeights} with {@code adaptLinears} before building it. The variables
 * are named {@code lora.<component>.<module>.down} / {@code .up} and have no initialiser:
 * {@link #assign} gives them their starting values.
 */
public final class TrainableLora implements LinearAdapter {

    /** One adapted layer's variables. */
    public record Module(String module, Variable<TFloat32> down, Variable<TFloat32> up, long in, long out) {
    }

    private final LoraSpec spec;
    private final Map<String, Module> modules = new TreeMap<>();

    public TrainableLora(LoraSpec spec) {
        this.spec = spec;
    }

    @Override
    public Operand<TFloat32> adapt(Ops tf, String key, Operand<TFloat32> x, Operand<TFloat32> y, long in, long out) {
        if (!spec.adapts(key)) {
            return y;
        }
        if (modules.containsKey(key)) {
            throw new IllegalStateException("linear layer " + key + " built twice; a training graph builds each layer once");
        }
        String name = "lora." + spec.component() + "." + key;
        Module module = new Module(key,
                tf.withName(name + ".down").variable(Shape.of(spec.rank(), in), TFloat32.class),
                tf.withName(name + ".up").variable(Shape.of(out, spec.rank()), TFloat32.class), in, out);
        modules.put(key, module);
        Operand<TFloat32> reduced = tf.linalg.matMul(x, module.down(), MatMul.transposeB(true));
        Operand<TFloat32> update = tf.linalg.matMul(reduced, module.up(), MatMul.transposeB(true));
        return tf.math.add(y, tf.math.mul(update, tf.constant((float) spec.scale())));
    }

    public LoraSpec spec() {
        return spec;
    }

    /** The adapted layers, sorted by module path. */
    public List<Module> modules() {
        return List.copyOf(modules.values());
    }

    /** Every variable in {@link #modules()} order, down before up: the trainable parameters. */
    public List<Variable<TFloat32>> variables() {
        List<Variable<TFloat32>> variables = new ArrayList<>();
        modules.values().forEach(m -> {
            variables.add(m.down());
            variables.add(m.up());
        });
        return variables;
    }

    /** The variables' op names, in {@link #variables()} order. */
    public List<String> variableNames() {
        return variables().stream().map(v -> v.op().name()).toList();
    }

    /** module path to {in, out} of every adapted layer (for {@link LoraWeights#gaussian}). */
    public Map<String, long[]> shapes() {
        Map<String, long[]> shapes = new TreeMap<>();
        modules.forEach((key, m) -> shapes.put(key, new long[] {m.in(), m.out()}));
        return Collections.unmodifiableMap(shapes);
    }

    /**
     * Sets every adapter from {@code weights}, which must hold exactly the adapted layers.
     *
     * @throws IllegalArgumentException naming the layers that are missing, extra or misshapen
     */
    public void assign(Ops tf, Session session, LoraWeights weights) {
        if (!weights.layers().keySet().equals(modules.keySet())) {
            List<String> missing = modules.keySet().stream().filter(k -> !weights.layers().containsKey(k)).toList();
            List<String> extra = weights.layers().keySet().stream().filter(k -> !modules.containsKey(k)).toList();
            throw new IllegalArgumentException("LoRA weights do not match the adapted layers: missing " + missing
                    + ", not adapted here " + extra);
        }
        List<TFloat32> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Module m : modules.values()) {
                LoraWeights.Layer layer = weights.layers().get(m.module());
                if (layer.in() != m.in() || layer.out() != m.out()) {
                    throw new IllegalArgumentException("LoRA layer " + m.module() + " is " + layer.in() + " -> "
                            + layer.out() + ", the network's is " + m.in() + " -> " + m.out());
                }
                feedAssign(tf, runner, fed, m.down(), layer.down());
                feedAssign(tf, runner, fed, m.up(), layer.up());
            }
            runner.run().close();
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    /** The adapters' current values. */
    public LoraWeights values(Session session) {
        Session.Runner runner = session.runner();
        variables().forEach(runner::fetch);
        Map<String, LoraWeights.Layer> layers = new TreeMap<>();
        try (Result result = runner.run()) {
            int i = 0;
            for (Module m : modules.values()) {
                float[] down = floats(result.get(i++));
                float[] up = floats(result.get(i++));
                layers.put(m.module(), new LoraWeights.Layer(m.in(), m.out(), down, up));
            }
        }
        return new LoraWeights(spec, layers);
    }

    private static void feedAssign(Ops tf, Session.Runner runner, List<TFloat32> fed, Variable<TFloat32> variable,
            float[] values) {
        Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
        TFloat32 tensor = TFloat32.tensorOf(variable.shape(), DataBuffers.of(values, true, false));
        fed.add(tensor);
        runner.feed(input, tensor).addTarget(tf.assign(variable, input));
    }

    private static float[] floats(org.tensorflow.Tensor tensor) {
        float[] values = new float[Math.toIntExact(tensor.size())];
        ((TFloat32) tensor).asRawTensor().data().asFloats().read(values);
        return values;
    }
}
