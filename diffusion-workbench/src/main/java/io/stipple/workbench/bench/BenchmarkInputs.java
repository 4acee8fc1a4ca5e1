package io.stipple.workbench.bench;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.SavedModelDenoiser;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded Gaussian inputs of the right shapes for any model's {@code denoise} call: timing does not
 * depend on the values, only on the shapes, so every conditioning input (text embedding, low-res
 * image, augmentation level) is filled the same way.
 */
public record BenchmarkInputs(Tensor sample, float[] timesteps, Conditioning conditioning) {

    public static BenchmarkInputs random(SavedModelDenoiser denoiser, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] shape = denoiser.sampleShape();
        Tensor sample = gaussian(random, batch, shape);
        float[] timesteps = new float[batch];
        Arrays.fill(timesteps, 500f);
        Conditioning conditioning = Conditioning.none(batch);
        for (String name : denoiser.conditioningInputs()) {
            long[] declared = denoiser.conditioningShape(name); // [-1, ...]: drop the batch axis
            int[] example = new int[declared.length - 1];
            for (int i = 0; i < example.length; i++) {
                example[i] = (int) declared[i + 1];
            }
            conditioning = conditioning.with(name, gaussian(random, batch, example));
        }
        return new BenchmarkInputs(sample, timesteps, conditioning);
    }

    private static Tensor gaussian(SplittableRandom random, int batch, int[] exampleShape) {
        int[] dims = new int[exampleShape.length + 1];
        dims[0] = batch;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        float[] values = new float[Arrays.stream(dims).reduce(1, (x, y) -> x * y)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.of(values, dims);
    }

    /** One forward pass. */
    public float[] run(SavedModelDenoiser denoiser) {
        return denoiser.predict(sample, timesteps, conditioning);
    }
}
