package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.ClassifierConfig;
import io.stipple.engine.classifier.ClassifierNetwork;
import io.stipple.engine.classifier.LabelLayout;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.data.Scene;
import io.stipple.workbench.data.Split;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.training.StepResult;
import io.stipple.engine.training.Trainer;
import io.stipple.engine.training.TrainerConfig;
import java.util.ArrayList;
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
import org.tensorflow.types.TFloat32;

/**
 * Trains a classifier with the shared {@link Trainer} on the dataset's own
 * {@link Split#CLASSIFIER_TRAIN} seeds: never on the diffusion model's training seeds and never
 * on generated images. Each step's batch, augmentation noise and (noise-aware) timesteps come
 * from a random stream keyed by (seed, step).
 *
 * <p>Clean classifier: real renders plus a little Gaussian pixel noise (sigma uniform in
 * [0, {@link #CLEAN_AUGMENT_SIGMA}]), so that slightly grainy generated images are judged by
 * their content. Noise-aware classifier: renders corrupted with the diffusion schedule's
 * {@code addNoise} at a uniform training timestep, as in Dhariwal and Nichol 2021.
 */
public final class ClassifierTraining implements AutoCloseable {

    static final double CLEAN_AUGMENT_SIGMA = 0.05;

    private final ClassifierConfig config;
    private final NoiseSchedule schedule;
    private final long seed;
    private final Graph graph;
    private final Parameters parameters;
    private final ClassifierNetwork network;
    private final Trainer trainer;

    /** @param schedule the diffusion schedule for a noise-aware classifier; null for a clean one */
    public ClassifierTraining(ClassifierConfig config, TrainerConfig trainerConfig, NoiseSchedule schedule, long seed) {
        if (config.noiseAware() != (schedule != null)) {
            throw new IllegalArgumentException("a noise-aware classifier needs a schedule, a clean one none");
        }
        this.config = config;
        this.schedule = schedule;
        this.seed = seed;
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        this.parameters = new Parameters(tf, seed);
        this.network = new ClassifierNetwork(tf, parameters, config);
        this.trainer = Trainer.create(graph, tf, parameters, network.loss(tf), trainerConfig);
        trainer.initialize();
    }

    public StepResult train(int batchSize) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trainer.step());
        List<Scene> scenes = new ArrayList<>(batchSize);
        List<Sample> samples = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            Sample sample = ProceduralShapes.sample(Split.CLASSIFIER_TRAIN, random.nextLong(Split.SIZE));
            samples.add(sample);
            scenes.add(sample.scene());
        }
        float[] images = ProceduralShapes.render(samples, config.resolution()).images();
        float[] timesteps = new float[batchSize];
        if (schedule != null) {
            int[] t = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                t[i] = random.nextInt(schedule.numTrainTimesteps());
                timesteps[i] = t[i];
            }
            images = schedule.addNoise(images, gaussian(random, images.length), t);
        } else {
            int stride = images.length / batchSize;
            for (int i = 0; i < batchSize; i++) {
                double sigma = random.nextDouble() * CLEAN_AUGMENT_SIGMA;
                for (int j = i * stride; j < (i + 1) * stride; j++) {
                    images[j] += (float) (sigma * random.nextGaussian());
                }
            }
        }
        Map<Operand<?>, Tensor> feeds = new LinkedHashMap<>();
        int r = config.resolution();
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batchSize, r, r, 3), DataBuffers.of(images));
             TFloat32 labels = TFloat32.tensorOf(Shape.of(batchSize, LabelLayout.WIDTH),
                     DataBuffers.of(LabelLayout.encodeScenes(scenes)));
             TFloat32 t = TFloat32.vectorOf(timesteps)) {
            feeds.put(network.images, x);
            feeds.put(network.labels, labels);
            if (network.timesteps != null) {
                feeds.put(network.timesteps, t);
            }
            return trainer.train(feeds);
        }
    }

    private static float[] gaussian(SplittableRandom random, int length) {
        float[] noise = new float[length];
        for (int i = 0; i < length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }

    public long step() {
        return trainer.step();
    }

    public long parameterCount() {
        return parameters.count();
    }

    /** The EMA weights by parameter name; the caller closes them. */
    public Map<String, TFloat32> averagedWeights() {
        return trainer.averagedWeights();
    }

    @Override
    public void close() {
        trainer.close();
        graph.close();
    }
}
