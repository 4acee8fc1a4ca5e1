package io.stipple.engine.dreambooth;

import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.training.TrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batches of a DreamBooth run: {@code batchSize} instance images captioned with the instance
 * prompt, and with prior preservation as many class images captioned with the class prompt. Both
 * cycle through their sets in order, so every step's batch is a pure function of the step (what
 * exact resume needs) and every instance image is seen equally often.
 *
 * <p>The examples need not be images: an SD fine-tune passes VAE latents ({@code sd.train.SdDreamBooth}).
 *
 * <p>Loss weights make the trainer's weighted mean equal diffusers' DreamBooth loss,
 * mean(instance) + w * mean(class): with n of each, weights 2 and 2w over 2n examples.
 */
public final class DreamBoothData implements TrainingData {

    private final float[] instances;
    private final int instanceCount;
    private final float[] classImages;
    private final int classCount;
    private final int stride;
    private final DreamBoothConfig config;

    public DreamBoothData(float[] instances, int instanceCount, float[] classImages, int classCount, int stride,
            DreamBoothConfig config) {
        if (instanceCount < 1 || instances.length != instanceCount * stride) {
            throw new IllegalArgumentException("need at least one instance image of " + stride + " values");
        }
        this.instances = instances;
        this.instanceCount = instanceCount;
        this.classImages = classImages;
        this.classCount = classCount;
        this.stride = stride;
        this.config = config;
    }

    @Override
    public TrainingBatch batch(long step) {
        int n = config.batchSize();
        boolean prior = config.priorPreservation();
        int total = prior ? 2 * n : n;
        float[] images = new float[total * stride];
        float[] weights = new float[total];
        List<String> captions = new ArrayList<>(total);
        for (int i = 0; i < n; i++) {
            int index = (int) ((step * n + i) % instanceCount);
            System.arraycopy(instances, index * stride, images, i * stride, stride);
            captions.add(config.instancePrompt());
            weights[i] = prior ? 2f : 1f;
        }
        if (prior) {
            for (int i = 0; i < n; i++) {
                int index = (int) ((step * n + i) % classCount);
                System.arraycopy(classImages, index * stride, images, (n + i) * stride, stride);
                captions.add(config.classPrompt());
                weights[n + i] = 2f * config.priorLossWeight();
            }
        }
        return new TrainingBatch(captions, images, weights, Map.of());
    }
}
