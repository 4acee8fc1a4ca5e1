package io.stipple.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Creates and registers the trainable weights of one graph.
 *
 * <p>Initial values come from stateless random ops keyed by (seed, creation index), so the same
 * graph built with the same seed starts from the same weights on any machine, and the
 * initialiser adds only a few small ops to the graph (no embedded constant arrays).
 *
 * <p>Names are flat ({@code unet_down0_res1_conv1_kernel}): optimizers reject {@code /}, and
 * {@code withSubScope} is an order of magnitude slower to build with (docs/field-notes.md).
 */
public final class Parameters {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final Ops tf;
    private final long seed;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final java.util.Set<String> boundNames = new java.util.HashSet<>();
    private Predicate<String> frozen = name -> false;
    private LowRankAdapters adapters;
    /** In a bound graph: where each weight comes from instead of a new variable; null otherwise. */
    private final Function<String, Operand<TFloat32>> source;

    public Parameters(Ops tf, long seed) {
        this(tf, seed, null);
    }

    private Parameters(Ops tf, long seed, Function<String, Operand<TFloat32>> source) {
        this.tf = tf;
        this.seed = seed;
        this.source = source;
    }

    /**
     * Builds a network that creates no weights of its own: every weight, LoRA adapters included
     * when {@code adapters} is given, is the operand {@code source} returns for its name (for
     * instance a loaded model's variables plus adapter constants), so a second forward pass can
     * share another's weights in the same graph without copying them.
     */
    public static Parameters bound(Ops tf, LowRankAdapters adapters, Function<String, Operand<TFloat32>> source) {
        Parameters parameters = new Parameters(tf, 0, source);
        parameters.adapters = adapters;
        return parameters;
    }

    /**
     * Marks the parameters created from now on whose names match as frozen (not trained), e.g. the
     * text encoder when only the U-Net is fine-tuned. Call before building the graph.
     */
    public Parameters freezeWhere(Predicate<String> frozenNames) {
        this.frozen = frozenNames;
        return this;
    }

    /** Builds LoRA adapters into matching dense layers and freezes every other weight. Call before building the graph. */
    public Parameters withLowRankAdapters(LowRankAdapters config) {
        this.adapters = config;
        this.frozen = name -> !LowRankAdapters.isAdapterWeight(name);
        return this;
    }

    /**
     * The LoRA update (alpha / r) x A B of dense layer {@code name} for its flattened input [N, in],
     * or null when the layer is not adapted.
     */
    Operand<TFloat32> lowRankUpdate(String name, Operand<TFloat32> flatInput, long in, long out) {
        if (adapters == null || !adapters.adapts(name)) {
            return null;
        }
        Operand<TFloat32> down = fanIn(name + LowRankAdapters.DOWN, Shape.of(in, adapters.rank()), in, 1f);
        Operand<TFloat32> up = constant(name + LowRankAdapters.UP, Shape.of(adapters.rank(), out), 0f);
        return tf.math.mul(tf.linalg.matMul(tf.linalg.matMul(flatInput, down), up),
                tf.constant(adapters.alpha() / adapters.rank()));
    }

    /** A weight drawn from N(0, stddev^2). */
    public Operand<TFloat32> normal(String name, Shape shape, float stddev) {
        long index = byName.size();
        return register(name, () -> tf.math.mul(
                tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(new long[] {seed, index})),
                tf.constant(stddev)));
    }

    /** A weight scaled for a layer with {@code fanIn} inputs (He-style, variance 1/fanIn times gain^2). */
    public Operand<TFloat32> fanIn(String name, Shape shape, long fanIn, float gain) {
        return normal(name, shape, (float) (gain / Math.sqrt(fanIn)));
    }

    /** A weight with every element equal to {@code value} (biases, norm scales). */
    public Operand<TFloat32> constant(String name, Shape shape, float value) {
        return register(name, () -> tf.fill(tf.constant(shape), tf.constant(value)));
    }

    private Operand<TFloat32> register(String name, Supplier<Operand<TFloat32>> initialiser) {
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name must match " + VALID_NAME + ": " + name);
        }
        if (byName.containsKey(name) || boundNames.contains(name)) {
            throw new IllegalArgumentException("duplicate parameter name: " + name);
        }
        if (source != null) {
            boundNames.add(name);
            Operand<TFloat32> bound = source.apply(name);
            if (bound == null) {
                throw new IllegalArgumentException("no weight named " + name + " to bind");
            }
            return bound;
        }
        Operand<TFloat32> init = initialiser.get();
        var variable = tf.withName(name).variable(init);
        byName.put(name, new Parameter(name, variable, init, !frozen.test(name)));
        return variable;
    }

    public List<Parameter> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** The parameters an optimizer should update. */
    public List<Parameter> trainable() {
        return byName.values().stream().filter(Parameter::trainable).toList();
    }

    public Parameter get(String name) {
        Parameter parameter = byName.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return parameter;
    }

    public long count() {
        return byName.values().stream().mapToLong(Parameter::size).sum();
    }

    /**
     * Overwrites weights in {@code session} with the given values (for instance the EMA weights of
     * a trained graph copied into an inference graph). Every parameter of this graph must be given.
     */
    public void load(Session session, Map<String, ? extends Tensor> values) {
        load(session, values, false);
    }

    /**
     * As {@link #load(Session, Map)}; with {@code keepMissingAdapters}, LoRA adapter weights absent
     * from {@code values} keep their initial values (fine-tuning a base model that has none).
     */
    public void load(Session session, Map<String, ? extends Tensor> values, boolean keepMissingAdapters) {
        List<String> missing = byName.keySet().stream().filter(n -> !values.containsKey(n))
                .filter(n -> !(keepMissingAdapters && LowRankAdapters.isAdapterWeight(n))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("values missing for parameters " + missing);
        }
        List<Parameter> loaded = byName.values().stream().filter(p -> values.containsKey(p.name())).toList();
        for (Parameter parameter : loaded) {
            Tensor value = values.get(parameter.name());
            if (!value.shape().equals(parameter.shape())) {
                throw new IllegalArgumentException("parameter " + parameter.name() + " has shape "
                        + parameter.shape() + " but the value has " + value.shape());
            }
        }
        // One feed-assign per parameter, built lazily: loading is rare and the ops stay in the graph.
        Ops loader = tf;
        var runner = session.runner();
        for (Parameter parameter : loaded) {
            Placeholder<TFloat32> input = loader.placeholder(TFloat32.class,
                    Placeholder.shape(parameter.shape()));
            runner.addTarget(loader.assign(parameter.variable(), input));
            runner.feed(input, values.get(parameter.name()));
        }
        runner.run().close();
    }
}
