package io.stipple.engine.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.tensorflow.Tensor;

/**
 * Drives a {@link StepTrainer} ({@link DiffusionTrainer}, or LoRA on an SD U-Net) to a number of steps in a work directory: resumes from the
 * checkpoint there if one exists, renders the next batch while the current one trains, writes
 * {@code loss.csv} every step and a checkpoint plus {@code loss.png} every
 * {@code checkpointEvery} steps and at the end.
 *
 * <p>Optional hooks: {@link #startingFrom} (fine-tuning: pretrained weights instead of the seeded
 * initialisation), {@link #onStep} (progress), {@link #cancelWhen} (checked between steps), and
 * {@link #checkpointsTo} (a durable copy of each checkpoint, fetched when the work directory has none,
 * so a run restarted elsewhere resumes).
 */
public final class TrainingRun {

    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String LOSS_CSV = "loss.csv";
    public static final String LOSS_PNG = "loss.png";

    private final StepTrainer trainer;
    private final TrainingData data;
    private final Path workDir;
    private final int checkpointEvery;
    private final PrintStream progress;
    private Map<String, ? extends Tensor> startingWeights;
    private StepListener listener = (result, total) -> { };
    private BooleanSupplier cancelled = () -> false;
    private CheckpointStore checkpoints = CheckpointStore.NONE;

    public TrainingRun(StepTrainer trainer, TrainingData data, Path workDir, int checkpointEvery,
            PrintStream progress) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1");
        }
        this.trainer = trainer;
        this.data = data;
        this.workDir = workDir;
        this.checkpointEvery = checkpointEvery;
        this.progress = progress;
    }

    /** Without a checkpoint, start from these weights (see {@link DiffusionTrainer#initializeFrom}). */
    public TrainingRun startingFrom(Map<String, ? extends Tensor> weights) {
        this.startingWeights = weights;
        return this;
    }

    public TrainingRun onStep(StepListener stepListener) {
        this.listener = stepListener;
        return this;
    }

    /** Checked before every step; when true the run stops with a {@link CancellationException}. */
    public TrainingRun cancelWhen(BooleanSupplier condition) {
        this.cancelled = condition;
        return this;
    }

    public TrainingRun checkpointsTo(CheckpointStore store) {
        this.checkpoints = store;
        return this;
    }

    /** Told after every update. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(StepResult result, long totalSteps);
    }

    /** Trains until {@code steps} updates have been made in total (over all resumed runs). */
    public Summary run(long steps, String title) throws IOException, InterruptedException {
        Path checkpoint = workDir.resolve(CHECKPOINT_DIR);
        if (!Trainer.hasCheckpoint(checkpoint)) {
            checkpoints.fetch(workDir);
        }
        if (Trainer.hasCheckpoint(checkpoint)) {
            if (startingWeights != null) {
                trainer.initializeFrom(startingWeights); // the frozen weights, which checkpoints leave out
            }
            trainer.restore(checkpoint);
            progress.printf(Locale.ROOT, "resumed at step %d from %s%n", trainer.step(), checkpoint);
        } else if (startingWeights != null) {
            trainer.initializeFrom(startingWeights);
        } else {
            trainer.initialize();
        }
        Files.createDirectories(workDir);
        long started = System.nanoTime();
        long firstStep = trainer.step();
        ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "training-data");
            thread.setDaemon(true);
            return thread;
        });
        try (LossLog log = LossLog.open(workDir.resolve(LOSS_CSV), trainer.step())) {
            long step = trainer.step();
            Future<TrainingBatch> next = step < steps ? submit(renderer, step) : null;
            double recentLoss = 0;
            int recent = 0;
            while (step < steps) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("training canceled before step " + step);
                }
                TrainingBatch batch = next.get();
                next = step + 1 < steps ? submit(renderer, step + 1) : null;
                StepResult result = trainer.train(batch);
                log.append(result);
                recentLoss += result.loss();
                recent++;
                step = trainer.step();
                listener.onStep(result, steps);
                if (step % 50 == 0 || step == steps) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress.printf(Locale.ROOT, "step %d/%d loss %.4f (mean of last %d) grad-norm %.3f lr %.2e %.3f s/step%n",
                            step, steps, recentLoss / recent, recent, result.gradientNorm(), result.learningRate(),
                            seconds / (step - firstStep));
                    recentLoss = 0;
                    recent = 0;
                }
                if (step % checkpointEvery == 0 || step == steps) {
                    log.flush();
                    trainer.save(checkpoint);
                    LossPlot.write(log.rows(), title, workDir.resolve(LOSS_PNG));
                    checkpoints.publish(workDir, checkpointFiles(), step);
                }
            }
            log.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            var rows = log.rows();
            double finalLoss = rows.subList(Math.max(0, rows.size() - 200), rows.size()).stream()
                    .mapToDouble(StepResult::loss).average().orElse(Double.NaN);
            return new Summary(trainer.step(), finalLoss, step > firstStep ? seconds / (step - firstStep) : 0);
        } catch (ExecutionException e) {
            throw new IllegalStateException("rendering a training batch failed", e.getCause());
        } finally {
            renderer.shutdownNow();
        }
    }

    /** The files a resumed run needs, relative to the work directory: the checkpoint and the loss log. */
    private List<Path> checkpointFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(workDir.resolve(CHECKPOINT_DIR))) {
            listing.filter(Files::isRegularFile).sorted().forEach(file -> files.add(workDir.relativize(file)));
        }
        files.add(Path.of(LOSS_CSV));
        return files;
    }

    private Future<TrainingBatch> submit(ExecutorService renderer, long step) {
        return renderer.submit(() -> data.batch(step));
    }

    /**
     * @param steps updates made in total
     * @param finalLoss mean loss of the last 200 steps
     * @param secondsPerStep wall-clock seconds per step in this invocation
     */
    public record Summary(long steps, double finalLoss, double secondsPerStep) {
    }
}
