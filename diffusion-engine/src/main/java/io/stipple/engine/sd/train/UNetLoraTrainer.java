package io.stipple.engine.sd.train;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.sd.nn.ComponentGraph;
import io.stipple.engine.sd.nn.ConvolutionKernel;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.unet.UNetGraph;
import io.stipple.engine.training.AdamW;
import io.stipple.engine.training.GradientClipping;
import io.stipple.engine.training.TrainingState;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * LoRA training of a Stable Diffusion U-Net, one step as diffusers' {@code train_dreambooth_lora.py}
 * takes it: the U-Net (frozen base weights, {@link TrainableLora} adapters) on noisy latents, the
 * mean squared error against the target over the instance examples plus {@code prior_loss_weight}
 * times that over the class examples, gradients of the adapters by {@code tf.gradients}, global-norm
 * clipping as {@code clip_grad_norm_}, and one {@link AdamW} update. The noising, the latents and
 * the text states are made outside ({@link NoisedLatents}, the VAE, the text encoder): they do not
 * depend on the adapters.
 */
public final class UNetLoraTrainer implements AutoCloseable {

    private record Handles(Ops tf, UNetGraph unet, TrainableLora lora, Placeholder<TFloat32> target,
            Placeholder<TFloat32> instanceWeights, Placeholder<TFloat32> priorWeights, Operand<TFloat32> instanceLoss,
            Operand<TFloat32> priorLoss, Operand<TFloat32> loss, Operand<TFloat32> gradientNorm,
            List<Operand<TFloat32>> gradients, AdamW adamW, Variable<TInt64> globalStep, Op increment,
            TrainingState state) {
    }

    private static final String WEIGHT_PREFIX = "unet.";
    private static final String CHECKPOINT_PREFIX = "ckpt";

    private final UNetConfig unetConfig;
    private final LoraTrainingConfig config;
    private final ComponentGraph<Handles> component;
    private long step;

    private UNetLoraTrainer(UNetConfig unetConfig, LoraTrainingConfig config, WeightSource weights,
            ConfigProto sessionConfig) {
        this.unetConfig = unetConfig;
        this.config = config;
        this.component = ComponentGraph.load(WEIGHT_PREFIX, Set.of(), weights, sessionConfig, this::build);
        component.session().initialize();
    }

    /** The U-Net of a diffusers {@code unet/} folder with adapters from {@code config}, not yet started ({@link #startFrom}). */
    public static UNetLoraTrainer load(Path unetFolder, LoraTrainingConfig config, ConfigProto sessionConfig)
            throws IOException {
        UNetConfig unetConfig = UNetConfigReader.read(unetFolder.resolve("config.json"));
        try (WeightSource weights = WeightSources.openComponent(unetFolder)) {
            return new UNetLoraTrainer(unetConfig, config, weights, sessionConfig);
        }
    }

    private Handles build(Ops tf, io.stipple.engine.sd.nn.TorchWeights weights) {
        TrainableLora lora = new TrainableLora(config.lora());
        weights.adaptLinears(lora);
        // Conv2D: differentiated, and a resumed run must equal an uninterrupted one bit for bit (ConvolutionKernel)
        weights.convolveWith(ConvolutionKernel.CONV2D);
        UNetGraph unet = UNetGraph.build(tf, weights, unetConfig);
        if (lora.modules().isEmpty()) {
            throw new IllegalArgumentException("no linear layer of the U-Net matches the LoRA targets " + config.lora().targets());
        }
        Operand<TFloat32> prediction = unet.outputs().output();
        var target = tf.withName("lora_target").placeholder(TFloat32.class, Placeholder.shape(prediction.shape()));
        var instanceWeights = tf.withName("instance_weights").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        var priorWeights = tf.withName("prior_weights").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        // per-example means weighted by 1/count sum to the mean over that half's elements, as
        // F.mse_loss(reduction="mean") over torch.chunk's halves
        Operand<TFloat32> perExample = tf.math.mean(tf.math.squaredDifference(prediction, target),
                tf.constant(new int[] {1, 2, 3}), Mean.keepDims(false));
        Operand<TFloat32> instanceLoss = tf.sum(tf.math.mul(perExample, instanceWeights), tf.constant(0));
        Operand<TFloat32> priorLoss = tf.sum(tf.math.mul(perExample, priorWeights), tf.constant(0));
        Operand<TFloat32> loss = tf.math.add(instanceLoss,
                tf.math.mul(priorLoss, tf.constant((float) config.priorLossWeight())));
        List<Variable<TFloat32>> parameters = lora.variables();
        var gradients = tf.gradients(loss, parameters);
        List<Operand<TFloat32>> raw = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            raw.add(gradients.<TFloat32>dy(i));
        }
        Operand<TFloat32> norm = GradientClipping.globalNorm(tf, raw);
        List<Operand<TFloat32>> clipped = config.maxGradNorm() > 0
                ? GradientClipping.byGlobalNormAsTorch(tf, raw, norm, config.maxGradNorm()) : raw;
        AdamW adamW = new AdamW(tf, config.optimizer(), parameters, lora.variableNames(), clipped);
        Variable<TInt64> globalStep = tf.withName("lora_global_step").variable(tf.constant(0L));
        Op increment = tf.withControlDependencies(adamW.updates()).assignAdd(globalStep, tf.constant(1L));
        // a checkpoint holds the adapters, AdamW's moments and the step, not the frozen base
        Set<String> frozen = weights.torchShapes().keySet().stream().map(key -> WEIGHT_PREFIX + key)
                .collect(Collectors.toSet());
        TrainingState state = TrainingState.of((Graph) tf.scope().env(), tf, frozen);
        return new Handles(tf, unet, lora, target, instanceWeights, priorWeights, instanceLoss, priorLoss, loss, norm, raw,
                adamW, globalStep, increment, state);
    }

    /** Sets the adapters (a fresh {@link LoraWeights#gaussian} start or a LoRA file) and zeroes the optimizer at step 0. */
    public void startFrom(LoraWeights weights) {
        Handles h = component.handles();
        h.lora().assign(h.tf(), component.session(), weights);
        component.session().initialize();
        step = 0;
    }

    /** A seeded PEFT-style start: down Gaussian, up zero. */
    public void startFresh(long seed) {
        startFrom(LoraWeights.gaussian(config.lora(), component.handles().lora().shapes(), seed));
    }

    /** Makes one update from {@code batch}. */
    public LoraStepResult step(LoraStepBatch batch) {
        Handles h = component.handles();
        try (Feeds feeds = feeds(batch)) {
            Session.Runner runner = feeds.feed(component.session().runner())
                    .fetch(h.instanceLoss()).fetch(h.priorLoss()).fetch(h.loss()).fetch(h.gradientNorm());
            h.adamW().updates().forEach(runner::addTarget);
            runner.addTarget(h.increment());
            try (AdamW.StepFeeds optimizer = h.adamW().feed(runner, step); Result result = runner.run()) {
                LoraStepResult stepResult = new LoraStepResult(step, scalar(result, 0), scalar(result, 1),
                        scalar(result, 2), scalar(result, 3));
                step++;
                return stepResult;
            }
        }
    }

    /** What {@link #step} would compute on {@code batch}, without updating: the prediction, losses and every gradient. */
    public Inspection inspect(LoraStepBatch batch) {
        Handles h = component.handles();
        try (Feeds feeds = feeds(batch)) {
            Session.Runner runner = feeds.feed(component.session().runner()).fetch(h.unet().outputs().output())
                    .fetch(h.instanceLoss()).fetch(h.priorLoss()).fetch(h.loss()).fetch(h.gradientNorm());
            h.gradients().forEach(runner::fetch);
            try (Result result = runner.run()) {
                List<float[]> gradients = new ArrayList<>();
                for (int i = 0; i < h.gradients().size(); i++) {
                    gradients.add(TensorBridge.fromTensorFlow(result.get(5 + i)).data());
                }
                return new Inspection(TensorBridge.fromTensorFlow(result.get(0)),
                        new LoraStepResult(step, scalar(result, 1), scalar(result, 2), scalar(result, 3), scalar(result, 4)),
                        h.lora().variableNames(), gradients);
            }
        }
    }

    /**
     * @param prediction    the U-Net's output [B, h, w, C]
     * @param result        losses and gradient norm
     * @param parameters    {@code lora.unet.<module>.down|up} names, sorted by module
     * @param gradients     d loss / d parameter in the same order, row-major in torch layout
     */
    public record Inspection(Tensor prediction, LoraStepResult result, List<String> parameters, List<float[]> gradients) {
    }

    /** The adapters now. */
    public LoraWeights lora() {
        return component.handles().lora().values(component.session());
    }

    /** Writes the adapters, AdamW's state and the step to {@code directory} (a TensorFlow checkpoint). */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        component.handles().state().save(component.session(), directory.resolve(CHECKPOINT_PREFIX).toString());
    }

    /** Continues from a checkpoint written by {@link #save}. */
    public void restore(Path directory) {
        if (!Files.exists(directory.resolve(CHECKPOINT_PREFIX + ".index"))) {
            throw new IllegalArgumentException("no LoRA training checkpoint in " + directory);
        }
        component.handles().state().restore(component.session(), directory.resolve(CHECKPOINT_PREFIX).toString());
        try (Result result = component.session().runner().fetch(component.handles().globalStep()).run()) {
            step = ((TInt64) result.get(0)).getLong();
        }
    }

    /** Number of updates made (the 0-based index of the next). */
    public long step() {
        return step;
    }

    public LoraTrainingConfig config() {
        return config;
    }

    private Feeds feeds(LoraStepBatch batch) {
        Handles h = component.handles();
        int[] timesteps = batch.timesteps();
        float[] t = new float[timesteps.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = timesteps[i];
        }
        Feeds feeds = new Feeds();
        feeds.add(h.unet().sample(), TensorBridge.toTensorFlow(batch.noisyLatents()));
        feeds.add(h.unet().timestep(), TFloat32.vectorOf(t));
        feeds.add(h.unet().context(), TensorBridge.toTensorFlow(batch.encoderHiddenStates()));
        feeds.add(h.target(), TensorBridge.toTensorFlow(batch.target()));
        feeds.add(h.instanceWeights(), TFloat32.vectorOf(batch.instanceWeights()));
        feeds.add(h.priorWeights(), TFloat32.vectorOf(batch.priorWeights()));
        return feeds;
    }

    private static float scalar(Result result, int index) {
        return ((TFloat32) result.get(index)).getFloat();
    }

    @Override
    public void close() {
        component.close();
    }

    /** A step's input tensors, closed after the run. */
    private static final class Feeds implements AutoCloseable {
        private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
        private final List<TFloat32> tensors = new ArrayList<>();

        void add(Placeholder<TFloat32> input, TFloat32 tensor) {
            inputs.add(input);
            tensors.add(tensor);
        }

        Session.Runner feed(Session.Runner runner) {
            for (int i = 0; i < inputs.size(); i++) {
                runner.feed(inputs.get(i), tensors.get(i));
            }
            return runner;
        }

        @Override
        public void close() {
            tensors.forEach(TFloat32::close);
        }
    }
}
