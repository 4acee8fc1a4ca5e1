package io.stipple.engine.training;

import io.stipple.engine.nn.Parameters;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.unet.DenoisingGraph;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.ModelInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a {@link ModelConfig} as a diffusion model. Each step draws, from a stream keyed by
 * (seed, step): a training timestep per example, Gaussian noise, and caption dropout (an empty
 * caption, the unconditional input, with probability {@code captionDropout}). The scheduler's
 * {@code addNoise} makes the network input and its schedule's training target for the configured
 * {@code prediction_type} is what the network learns to output, so sampling with the same
 * scheduler config inverts exactly this corruption. Loss: per-example-weighted mean squared error.
 */
public final class DiffusionTrainer implements StepTrainer, AutoCloseable {

    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Scheduler scheduler;
    private final NoiseSchedule schedule;
    private final PredictionType predictionType;
    private final long seed;
    private final float captionDropout;
    private final Graph graph;
    private final Parameters parameters;
    private final DenoisingGraph model;
    private final Placeholder<TFloat32> target;
    private final Placeholder<TFloat32> lossWeights;
    private final Trainer trainer;

    public DiffusionTrainer(ModelConfig config, Tokenizer tokenizer, Scheduler scheduler, TrainerConfig trainerConfig,
            long seed, float captionDropout) {
        this(config, tokenizer, scheduler, trainerConfig, seed, captionDropout, FineTuning.FULL);
    }

    public DiffusionTrainer(ModelConfig config, Tokenizer tokenizer, Scheduler scheduler, TrainerConfig trainerConfig,
            long seed, float captionDropout, FineTuning fineTuning) {
        if (config.textConditioned() && tokenizer.maxLength() != config.textEncoder().maxLength()) {
            throw new IllegalArgumentException("tokenizer length " + tokenizer.maxLength()
                    + " differs from the text encoder's " + config.textEncoder().maxLength());
        }
        this.config = config;
        this.tokenizer = tokenizer;
        this.scheduler = scheduler;
        this.schedule = NoiseSchedule.of(scheduler.config());
        this.predictionType = scheduler.config().predictionType();
        this.seed = seed;
        this.captionDropout = captionDropout;
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        this.parameters = new Parameters(tf, seed);
        fineTuning.applyTo(parameters);
        this.model = DenoisingGraph.forTraining(tf, parameters, config);
        int size = config.unet().imageSize();
        this.target = tf.withName("target").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, size, size, config.unet().channels())));
        this.lossWeights = tf.withName("loss_weight").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> perExample = tf.math.mean(tf.math.squaredDifference(model.output(), target),
                tf.constant(new int[] {1, 2, 3}), Mean.keepDims(false));
        Operand<TFloat32> loss = tf.math.mean(tf.math.mul(perExample, lossWeights), tf.constant(0));
        this.trainer = Trainer.create(graph, tf, parameters, loss, trainerConfig);
    }

    @Override
    public void initialize() {
        trainer.initialize();
    }

    /** Starts from pretrained weights, e.g. {@code StippleModel.weights()} of a base model (fine-tuning). */
    @Override
    public void initializeFrom(Map<String, ? extends Tensor> weights) {
        trainer.initializeFrom(weights);
    }

    @Override
    public void restore(Path checkpoint) {
        trainer.restore(checkpoint);
    }

    @Override
    public void save(Path checkpoint) throws IOException {
        trainer.save(checkpoint);
    }

    @Override
    public long step() {
        return trainer.step();
    }

    /** One update on {@code batch} with the noise, timesteps and dropout of the current step. */
    @Override
    public StepResult train(TrainingBatch batch) {
        try (Feeds feeds = feeds(batch, trainer.step())) {
            return trainer.train(feeds.map);
        }
    }

    /** The loss on {@code batch} with the noise of {@code step}, without training. */
    public float evaluate(TrainingBatch batch, long step) {
        try (Feeds feeds = feeds(batch, step)) {
            return trainer.evaluate(feeds.map);
        }
    }

    private Feeds feeds(TrainingBatch batch, long step) {
        int n = batch.size();
        int imageSize = batch.images().length / n;
        SplittableRandom random = StepRandom.of(seed, step);
        StepNoise drawn = StepNoise.draw(random, n, batch.images().length, schedule.numTrainTimesteps());
        int[] timesteps = drawn.timesteps();
        float[] noise = drawn.noise();
        List<String> captions = new ArrayList<>(batch.captions());
        for (int i = 0; i < n; i++) {
            if (random.nextFloat() < captionDropout) {
                captions.set(i, "");
            }
        }
        float[] noisy = scheduler.addNoise(batch.images(), noise, timesteps);
        float[] targetValues = schedule.trainingTarget(predictionType, batch.images(), noise, timesteps);
        float[] weights = batch.lossWeights();
        if (weights == null) {
            weights = new float[n];
            Arrays.fill(weights, 1f);
        }
        float[] timestepValues = new float[n];
        for (int i = 0; i < n; i++) {
            timestepValues[i] = timesteps[i];
        }
        int size = config.unet().imageSize();
        Shape imageShape = Shape.of(n, size, size, imageSize / (size * size));
        Feeds feeds = new Feeds();
        feeds.put(model.sample(), TFloat32.tensorOf(imageShape, DataBuffers.of(noisy)));
        feeds.put(target, TFloat32.tensorOf(imageShape, DataBuffers.of(targetValues)));
        feeds.put(model.timestep(), TFloat32.vectorOf(timestepValues));
        feeds.put(lossWeights, TFloat32.vectorOf(weights));
        if (config.textConditioned()) {
            feeds.put(model.tokens(), TInt32.tensorOf(Shape.of(n, tokenizer.maxLength()),
                    DataBuffers.of(tokenizer.encode(captions))));
        }
        putExtra(feeds, batch, ModelInputs.LOW_RES, model.lowRes());
        putExtra(feeds, batch, ModelInputs.AUG_LEVEL, model.augmentationLevel());
        return feeds;
    }

    private static void putExtra(Feeds feeds, TrainingBatch batch, String name, Placeholder<TFloat32> input) {
        float[] values = batch.extraInputs().get(name);
        if ((values == null) != (input == null)) {
            throw new IllegalArgumentException(input == null ? "the model has no input " + name
                    : "the batch lacks the model input " + name);
        }
        if (values != null) {
            long[] dims = input.shape().asArray().clone();
            dims[0] = batch.size();
            feeds.put(input, TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(values)));
        }
    }

    /** The EMA weights by parameter name (for export); the caller closes them. */
    public Map<String, TFloat32> averagedWeights() {
        return trainer.averagedWeights();
    }

    public long parameterCount() {
        return parameters.count();
    }

    public long trainableParameterCount() {
        return parameters.trainable().stream().mapToLong(p -> p.size()).sum();
    }

    public ModelConfig config() {
        return config;
    }

    @Override
    public void close() {
        trainer.close();
        graph.close();
    }

    /** Feed tensors of one step, closed after the run. */
    private static final class Feeds implements AutoCloseable {
        final Map<Operand<?>, Tensor> map = new LinkedHashMap<>();

        void put(Operand<?> input, Tensor value) {
            map.put(input, value);
        }

        @Override
        public void close() {
            map.values().forEach(Tensor::close);
        }
    }
}
