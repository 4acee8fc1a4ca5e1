package io.stipple.workbench.training;

import io.stipple.engine.training.StepRandom;
import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.training.TrainingData;
import io.stipple.workbench.data.Batch;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.workbench.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random samples of the built-in dataset's training split, rendered at one resolution. */
public final class ProceduralTrainingData implements TrainingData {

    private final int resolution;
    private final int batchSize;
    private final long seed;

    public ProceduralTrainingData(int resolution, int batchSize, long seed) {
        this.resolution = resolution;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public TrainingBatch batch(long step) {
        List<Sample> samples = samples(StepRandom.of(seed ^ 0x5DEECE66DL, step), batchSize);
        Batch batch = ProceduralShapes.render(samples, resolution);
        return TrainingBatch.of(batch.captions(), batch.images());
    }

    /** {@code count} TRAIN samples drawn uniformly (with replacement) from {@code random}. */
    public static List<Sample> samples(SplittableRandom random, int count) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(ProceduralShapes.sample(Split.TRAIN, random.nextLong(Split.SIZE)));
        }
        return samples;
    }

    /** Captions of the first {@code count} training samples (to build a vocabulary from). */
    public static List<String> captions(int count) {
        List<String> captions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            captions.add(ProceduralShapes.sample(Split.TRAIN, i).caption().text());
        }
        return captions;
    }
}
