package io.stipple.workbench.cascade;

import io.stipple.engine.cascade.LowResConditioning;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.workbench.training.ProceduralTrainingData;
import io.stipple.engine.training.StepRandom;
import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.training.TrainingData;
import io.stipple.engine.unet.ModelInputs;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training examples for a super-resolution stage from the built-in dataset: each TRAIN scene is
 * rendered at both resolutions (exact ground truth), the low-resolution render goes through
 * {@link LowResConditioning} at a random augmentation level drawn uniformly from
 * {@code 0..maxAugLevel}, the target is the high-resolution render's residual over the bicubically
 * upsampled clean low-resolution render times the residual scale, and one random {@code crop x crop} window is cut at the same place from
 * the target and from the upsampled conditioning. Training on crops keeps a step cheap; the
 * network has no attention, so at sampling it runs on whole images with the same weights.
 * A pure function of the step, as {@link TrainingData} requires.
 */
public final class SuperResolutionTrainingData implements TrainingData {

    private static final int CHANNELS = 3;

    private final int lowSize;
    private final int highSize;
    private final int crop;
    private final int batchSize;
    private final int maxAugLevel;
    private final NoiseSchedule schedule;
    private final float residualScale;
    private final long seed;

    /** @param residualScale the target is the residual times this (see {@link io.stipple.engine.model.SuperResolutionSpec}) */
    public SuperResolutionTrainingData(int lowSize, int highSize, int crop, int batchSize, int maxAugLevel,
            float residualScale, NoiseSchedule schedule, long seed) {
        if (highSize <= lowSize || crop < 1 || crop > highSize) {
            throw new IllegalArgumentException("need lowSize < highSize and 1 <= crop <= highSize, got "
                    + lowSize + ", " + highSize + ", " + crop);
        }
        if (!(residualScale > 0)) {
            throw new IllegalArgumentException("residual scale must be positive, got " + residualScale);
        }
        if (maxAugLevel < 0 || maxAugLevel >= schedule.numTrainTimesteps()) {
            throw new IllegalArgumentException("max augmentation level " + maxAugLevel + " outside the schedule");
        }
        this.lowSize = lowSize;
        this.highSize = highSize;
        this.crop = crop;
        this.batchSize = batchSize;
        this.maxAugLevel = maxAugLevel;
        this.residualScale = residualScale;
        this.schedule = schedule;
        this.seed = seed;
    }

    @Override
    public TrainingBatch batch(long step) {
        SplittableRandom random = StepRandom.of(seed ^ 0x5DEECE66DL, step);
        List<Sample> samples = ProceduralTrainingData.samples(random, batchSize);
        float[] high = ProceduralShapes.render(samples, highSize).images();
        float[] low = ProceduralShapes.render(samples, lowSize).images();
        float[] noise = new float[low.length];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        int[] levels = new int[batchSize];
        float[] levelValues = new float[batchSize];
        for (int i = 0; i < batchSize; i++) {
            levels[i] = random.nextInt(maxAugLevel + 1);
            levelValues[i] = levels[i];
        }
        float[] conditioning = LowResConditioning.prepare(low, batchSize, lowSize, highSize, noise, levels, schedule);
        float[] residual = LowResConditioning.residual(high, low, batchSize, lowSize, highSize);
        for (int i = 0; i < residual.length; i++) {
            residual[i] *= residualScale;
        }
        float[] targetCrops = new float[batchSize * crop * crop * CHANNELS];
        float[] conditioningCrops = new float[targetCrops.length];
        for (int i = 0; i < batchSize; i++) {
            int top = random.nextInt(highSize - crop + 1);
            int left = random.nextInt(highSize - crop + 1);
            cropInto(residual, i, top, left, targetCrops);
            cropInto(conditioning, i, top, left, conditioningCrops);
        }
        List<String> captions = samples.stream().map(s -> s.caption().text()).toList();
        return new TrainingBatch(captions, targetCrops, null,
                Map.of(ModelInputs.LOW_RES, conditioningCrops, ModelInputs.AUG_LEVEL, levelValues));
    }

    private void cropInto(float[] images, int index, int top, int left, float[] out) {
        int imageOffset = index * highSize * highSize * CHANNELS;
        int outOffset = index * crop * crop * CHANNELS;
        for (int y = 0; y < crop; y++) {
            System.arraycopy(images, imageOffset + ((top + y) * highSize + left) * CHANNELS,
                    out, outOffset + y * crop * CHANNELS, crop * CHANNELS);
        }
    }
}
