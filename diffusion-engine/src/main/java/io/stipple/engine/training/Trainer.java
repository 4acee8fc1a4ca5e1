package io.stipple.engine.training;

import io.stipple.engine.nn.Parameter;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.nn.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains the parameters of any scalar loss graph: gradients, global-norm clipping, Adam with
 * warmup, EMA of the weights, a step counter, and exact checkpoint/resume of all of it.
 *
 * <p>Usage: build the loss graph with a {@link Parameters}, call {@link #create}, then
 * {@link #initialize()} or {@link #restore(Path)}, then {@link #train(Map)} once per batch. The
 * batch for a step should be derived from (seed, {@link #step()}) so that a resumed run sees the
 * same batches as an uninterrupted one.
 */
public final class Trainer implements AutoCloseable {

    private static final String CHECKPOINT_PREFIX = "ckpt";

    private final TrainerConfig config;
    private final Session session;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> gradientNorm;
    private final Adam adam;
    private final ExponentialMovingAverage ema;
    private final Parameters parameters;
    private final Variable<TInt64> globalStep;
    private final List<Op> allUpdates;
    private final TrainingState state;
    private long step;
    private boolean initialized;

    private Trainer(TrainerConfig config, Session session, Parameters parameters, Operand<TFloat32> loss,
            Operand<TFloat32> gradientNorm, Adam adam, ExponentialMovingAverage ema, Variable<TInt64> globalStep,
            Op stepIncrement, TrainingState state) {
        this.config = config;
        this.state = state;
        this.session = session;
        this.loss = loss;
        this.gradientNorm = gradientNorm;
        this.adam = adam;
        this.ema = ema;
        this.parameters = parameters;
        this.globalStep = globalStep;
        this.allUpdates = new ArrayList<>(adam.updates());
        this.allUpdates.addAll(ema.updates());
        this.allUpdates.add(stepIncrement);
    }

    /** Adds the optimisation ops for {@code loss} to {@code graph} and opens a session on it. */
    public static Trainer create(Graph graph, Ops tf, Parameters parameters, Operand<TFloat32> loss,
            TrainerConfig config) {
        List<Parameter> all = parameters.trainable();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the loss graph has no trainable parameters");
        }
        var gradients = tf.gradients(loss, all.stream().map(Parameter::variable).toList());
        List<Operand<TFloat32>> raw = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (gradients.dy(i) == null) {
                throw new IllegalArgumentException("parameter " + all.get(i).name() + " does not affect the loss");
            }
            raw.add(gradients.<TFloat32>dy(i));
        }
        Operand<TFloat32> norm = GradientClipping.globalNorm(tf, raw);
        List<Operand<TFloat32>> clipped = config.clipNorm() > 0
                ? GradientClipping.byGlobalNorm(tf, raw, norm, config.clipNorm()) : raw;
        Adam adam = new Adam(tf, config, all, clipped);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(tf, all, adam.updates());
        Variable<TInt64> globalStep = tf.withName("global_step").variable(tf.constant(0L));
        Op increment = tf.withControlDependencies(adam.updates()).assignAdd(globalStep, tf.constant(1L));
        Set<String> frozen = parameters.all().stream().filter(p -> !p.trainable())
                .map(p -> p.variable().op().name()).collect(Collectors.toSet());
        TrainingState state = TrainingState.of(graph, tf, frozen);
        return new Trainer(config, Sessions.create(graph), parameters, loss, norm, adam, ema, globalStep, increment,
                state);
    }

    /** Starts from the seeded initial weights. */
    public void initialize() {
        session.initialize();
        step = 0;
        initialized = true;
    }

    /**
     * Starts from pretrained weights (fine-tuning): every parameter is loaded from {@code weights}
     * by name (LoRA adapters missing from them keep their zero-update start), the EMA starts at
     * them, and the optimizer starts fresh at step 0.
     */
    public void initializeFrom(Map<String, ? extends Tensor> weights) {
        initialize();
        parameters.load(session, weights, true);
        Session.Runner runner = session.runner();
        ema.resets().forEach(runner::addTarget);
        runner.run().close();
    }

    /**
     * Restores trained weights, optimizer slots, EMA shadows and the step counter saved by
     * {@link #save(Path)}. Frozen weights are not in a checkpoint: they keep the values the session
     * holds, so a fine-tune calls {@link #initializeFrom} with its base weights first (an
     * uninitialised trainer is initialised from its seed here).
     */
    public void restore(Path directory) {
        if (!Files.exists(directory.resolve(CHECKPOINT_PREFIX + ".index"))) {
            throw new IllegalArgumentException("no checkpoint in " + directory);
        }
        if (!initialized) {
            initialize();
        }
        state.restore(session, directory.resolve(CHECKPOINT_PREFIX).toString());
        try (Result result = session.runner().fetch(globalStep).run()) {
            step = ((TInt64) result.get(0)).getLong();
        }
    }

    /** Writes what training changed (not the frozen weights: see {@link TrainingState}). */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        state.save(session, directory.resolve(CHECKPOINT_PREFIX).toString());
    }

    /** The variables a checkpoint holds, by name. */
    public List<String> checkpointedVariables() {
        return state.names();
    }

    public static boolean hasCheckpoint(Path directory) {
        return Files.exists(directory.resolve(CHECKPOINT_PREFIX + ".index"));
    }

    /** Number of updates made so far (the 0-based index of the next one). */
    public long step() {
        return step;
    }

    /**
     * Makes one update with the given batch feeds and returns the loss and gradient norm of that
     * batch, measured before the update.
     */
    public StepResult train(Map<Operand<?>, Tensor> feeds) {
        float learningRate = config.learningRateAt(step);
        float[] powers = adam.betaPowers(step);
        try (TFloat32 lr = TFloat32.scalarOf(learningRate);
                TFloat32 beta1Power = TFloat32.scalarOf(powers[0]);
                TFloat32 beta2Power = TFloat32.scalarOf(powers[1]);
                TFloat32 decay = TFloat32.scalarOf(config.emaDecayAt(step))) {
            Session.Runner runner = session.runner()
                    .feed(adam.learningRate(), lr)
                    .feed(adam.beta1Power(), beta1Power)
                    .feed(adam.beta2Power(), beta2Power)
                    .feed(ema.decay(), decay)
                    .fetch(loss)
                    .fetch(gradientNorm);
            feeds.forEach(runner::feed);
            allUpdates.forEach(runner::addTarget);
            try (Result result = runner.run()) {
                StepResult stepResult = new StepResult(step, ((TFloat32) result.get(0)).getFloat(),
                        ((TFloat32) result.get(1)).getFloat(), learningRate);
                step++;
                return stepResult;
            }
        }
    }

    /** The loss for a batch with the current (not averaged) weights, without updating anything. */
    public float evaluate(Map<Operand<?>, Tensor> feeds) {
        Session.Runner runner = session.runner().fetch(loss);
        feeds.forEach(runner::feed);
        try (Result result = runner.run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /**
     * The weights to export, by parameter name: the EMA of every trained parameter and the value of
     * every frozen one. The caller closes the tensors.
     */
    public Map<String, TFloat32> averagedWeights() {
        Map<String, TFloat32> weights = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        Session.Runner runner = session.runner();
        for (Parameter parameter : parameters.all()) {
            names.add(parameter.name());
            Variable<TFloat32> shadow = ema.shadows().get(parameter.name());
            runner.fetch(shadow != null ? shadow : parameter.variable());
        }
        Result result = runner.run();
        for (int i = 0; i < names.size(); i++) {
            weights.put(names.get(i), (TFloat32) result.get(i));
        }
        return weights;
    }

    public Session session() {
        return session;
    }

    public TrainerConfig config() {
        return config;
    }

    @Override
    public void close() {
        session.close();
    }
}
