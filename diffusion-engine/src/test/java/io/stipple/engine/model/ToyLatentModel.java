package io.stipple.engine.model;

import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.GaussianOracle;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.ArrayList;
import java.util.List;

/**
 * A latent model in miniature, to test the seam without a VAE: samples are half the image's side
 * with 4 channels; decoding repeats each latent over its 2x2 block and subtracts {@code offset}
 * from channels 0-2 (channel 3 is dropped), encoding averages the block and adds it back. The
 * denoiser is the exact one for latents distributed N(1.2, 0.01^2): beyond [-1, 1], so a pipeline
 * that clamped samples instead of decoded images would give other pixels.
 */
final class ToyLatentModel implements DiffusionModel {

    static final double LATENT_MEAN = 1.2;
    static final String SCHEDULE = "{\"_class_name\": \"DDIMScheduler\", \"num_train_timesteps\": 1000,"
            + " \"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
            + " \"prediction_type\": \"epsilon\", \"clip_sample\": false, \"set_alpha_to_one\": false,"
            + " \"steps_offset\": 1}";

    final List<int[]> denoisedShapes = new ArrayList<>();
    final List<int[]> encodedShapes = new ArrayList<>();
    final List<int[]> maskShapes = new ArrayList<>();
    int decodes;
    private final float offset;
    private final Denoiser oracle;

    ToyLatentModel(float offset) {
        this.offset = offset;
        this.oracle = new GaussianOracle(LATENT_MEAN, 0.01, PredictionType.EPSILON,
                SchedulerConfigs.create(SCHEDULE)::noiseLevel);
    }

    @Override
    public ModelIdentity identity() {
        return new ModelIdentity(ModelFamily.STABLE_DIFFUSION, "toy-latent", "1");
    }

    @Override
    public ModelDefaults defaults() {
        return new ModelDefaults(ImageSize.square(8), "ddim", 10, 1);
    }

    @Override
    public PromptEncoder prompts() {
        return PromptEncoder.none();
    }

    @Override
    public Denoiser denoiser() {
        return (sample, timesteps, conditioning) -> {
            denoisedShapes.add(sample.shape());
            return oracle.predict(sample, timesteps, conditioning);
        };
    }

    @Override
    public SampleCodec codec() {
        return new SampleCodec() {
            @Override
            public int[] sampleShape(ImageSize size) {
                return new int[] {size.height() / 2, size.width() / 2, 4};
            }

            @Override
            public Tensor encode(Tensor images) {
                encodedShapes.add(images.shape());
                return blocks(images, 4, (block, c) -> c < 3 ? mean(block, c) + offset : (float) LATENT_MEAN);
            }

            @Override
            public Tensor decode(Tensor samples) {
                decodes++;
                int[] s = samples.shape();
                float[] out = new float[s[0] * s[1] * 2 * s[2] * 2 * 3];
                for (int b = 0; b < s[0]; b++) {
                    for (int y = 0; y < s[1] * 2; y++) {
                        for (int x = 0; x < s[2] * 2; x++) {
                            for (int c = 0; c < 3; c++) {
                                float latent = samples.data()[((b * s[1] + y / 2) * s[2] + x / 2) * s[3] + c];
                                out[((b * s[1] * 2 + y) * s[2] * 2 + x) * 3 + c] = latent - offset;
                            }
                        }
                    }
                }
                return Tensor.of(out, s[0], s[1] * 2, s[2] * 2, 3);
            }

            @Override
            public Tensor maskToSamples(Tensor keepMask) {
                maskShapes.add(keepMask.shape());
                return blocks(keepMask, 4, (block, c) -> mean(block, 0));
            }

            @Override
            public boolean pixelSpace() {
                return false;
            }
        };
    }

    @Override
    public ImageSizes imageSizes() {
        return ImageSizes.multiplesOf(2, 4, 16);
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return SchedulerConfigs.fromJson(SCHEDULE);
    }

    @Override
    public void close() {
    }

    /** One value per 2x2 block of an NHW3 tensor and per output channel. */
    private interface BlockValue {
        float of(float[][] block, int channel);
    }

    private static Tensor blocks(Tensor images, int channels, BlockValue value) {
        int[] s = images.shape();
        int h = s[1] / 2;
        int w = s[2] / 2;
        float[] out = new float[s[0] * h * w * channels];
        for (int b = 0; b < s[0]; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float[][] block = new float[4][];
                    for (int k = 0; k < 4; k++) {
                        int at = ((b * s[1] + 2 * y + k / 2) * s[2] + 2 * x + k % 2) * 3;
                        block[k] = new float[] {images.data()[at], images.data()[at + 1], images.data()[at + 2]};
                    }
                    for (int c = 0; c < channels; c++) {
                        out[((b * h + y) * w + x) * channels + c] = value.of(block, c);
                    }
                }
            }
        }
        return Tensor.of(out, s[0], h, w, channels);
    }

    private static float mean(float[][] block, int channel) {
        return (block[0][channel] + block[1][channel] + block[2][channel] + block[3][channel]) / 4;
    }
}
