package io.stipple.engine.sd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.sd.clip.ClipTextEncoder;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.LoraTargets;
import io.stipple.engine.sd.vae.Vae;
import io.stipple.engine.training.AdamWConfig;
import io.stipple.engine.weights.SafetensorsFile;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * One DreamBooth-LoRA step with prior preservation on the tiny SD 1.x pipeline, replayed from the
 * fixture's pixels, token ids, noise, timesteps and starting LoRA through the engine's VAE, text
 * encoder, noise schedule, U-Net with trainable adapters and AdamW, against what diffusers + PEFT
 * computed ({@code test-fixtures/sd-tiny/train-step/README.md}). Errors are relative L2 against the
 * reference; the fixture's own float32-vs-float64 errors are 1e-6 for the forward quantities and
 * 8e-6 for the worst gradient, so 1e-5 and 1e-3 leave room for another engine's rounding and still
 * catch a wrong scale, target, loss split or adapter layout (those are errors of order 1).
 */
class LoraTrainingStepTest {

    private static final int BATCH = 4;
    private static final int LATENT = 16;
    private static final double FORWARD_TOLERANCE = 1e-5;
    private static final double GRADIENT_TOLERANCE = 1e-3;
    private static final double LEARNING_RATE = 1e-4;
    private static final double EPSILON = 1e-8;

    @Test
    void oneStepReproducesDiffusers() throws IOException {
        Path sd = SdTiny.SD1;
        try (SafetensorsFile ref = SafetensorsFile.open(SdTiny.TRAIN_STEP.resolve("train_step.safetensors"))) {
            Tensor images = nhwc(ref, "input.pixel_values", 3, 128);
            Tensor latents;
            try (Vae vae = Vae.load(sd.resolve("vae"))) {
                report("vae mean", SdTiny.relativeL2(vae.encode(images).mean().data(),
                        nhwc(ref, "vae.latent_dist_mean", 4, LATENT).data()), FORWARD_TOLERANCE);
                latents = vae.toLatents(images);
            }
            report("latents", SdTiny.relativeL2(latents.data(), nhwc(ref, "latents", 4, LATENT).data()), FORWARD_TOLERANCE);

            int[] ids = ref.ints("input.input_ids");
            int[][] rows = new int[BATCH][];
            for (int i = 0; i < BATCH; i++) {
                rows[i] = java.util.Arrays.copyOfRange(ids, i * 77, (i + 1) * 77);
            }
            Tensor hiddenStates;
            try (ClipTextEncoder textEncoder = ClipTextEncoder.load(sd.resolve("text_encoder"))) {
                hiddenStates = textEncoder.encode(rows, 0).promptEmbeddings();
            }
            report("encoder_hidden_states", SdTiny.relativeL2(hiddenStates.data(), ref.floats("text.encoder_hidden_states")),
                    FORWARD_TOLERANCE);

            SchedulerConfig scheduler = SchedulerConfigs.fromFile(sd.resolve("scheduler/scheduler_config.json"));
            NoiseSchedule schedule = NoiseSchedule.of(scheduler);
            float[] alphasCumprod = new float[schedule.numTrainTimesteps()];
            for (int t = 0; t < alphasCumprod.length; t++) {
                alphasCumprod[t] = (float) schedule.alphaBar(t);
            }
            report("alphas_cumprod", SdTiny.relativeL2(alphasCumprod, ref.floats("scheduler.alphas_cumprod")),
                    FORWARD_TOLERANCE);
            int[] timesteps = ref.ints("input.timesteps");
            NoisedLatents noised = NoisedLatents.of(schedule, scheduler.predictionType(), latents,
                    nhwc(ref, "input.noise", 4, LATENT), timesteps);
            report("noisy_latents", SdTiny.relativeL2(noised.noisy().data(), nhwc(ref, "noisy_latents", 4, LATENT).data()),
                    FORWARD_TOLERANCE);

            LoraTrainingConfig config = new LoraTrainingConfig(new LoraSpec("unet", 4, 4, LoraSpec.ATTENTION),
                    new AdamWConfig(LEARNING_RATE, 0.9, 0.999, EPSILON, 0.01), 1.0, 1f);
            LoraStepBatch batch = new LoraStepBatch(noised.noisy(), timesteps, hiddenStates, noised.target(), 2);
            try (UNetLoraTrainer trainer = UNetLoraTrainer.load(sd.resolve("unet"), config, null);
                    WeightSource unet = WeightSources.openComponent(sd.resolve("unet"));
                    WeightSource text = WeightSources.openComponent(sd.resolve("text_encoder"));
                    LoraFile init = LoraFile.open(SdTiny.TRAIN_STEP.resolve("lora-init/pytorch_lora_weights.safetensors"),
                            LoraTargets.of(unet, text))) {
                LoraWeights start = LoraWeights.from(init, config.lora());
                assertEquals(48, start.layers().size());
                assertEquals(14080, start.parameterCount());
                trainer.startFrom(start);

                UNetLoraTrainer.Inspection inspection = trainer.inspect(batch);
                report("model_pred", SdTiny.relativeL2(inspection.prediction().data(),
                        nhwc(ref, "unet.model_pred", 4, LATENT).data()), FORWARD_TOLERANCE);
                report("loss.instance", relative(inspection.result().instanceLoss(), ref.floats("loss.instance")[0]),
                        FORWARD_TOLERANCE);
                report("loss.prior", relative(inspection.result().priorLoss(), ref.floats("loss.prior")[0]),
                        FORWARD_TOLERANCE);
                report("loss.total", relative(inspection.result().loss(), ref.floats("loss.total")[0]), FORWARD_TOLERANCE);

                List<String> names = inspection.parameters();
                assertEquals(96, names.size());
                double worstGradient = 0;
                String worstName = "";
                for (int i = 0; i < names.size(); i++) {
                    double error = SdTiny.relativeL2(inspection.gradients().get(i), ref.floats("grad." + peftKey(names.get(i))));
                    assertTrue(error <= GRADIENT_TOLERANCE, names.get(i) + " gradient relative error " + error);
                    if (error > worstGradient) {
                        worstGradient = error;
                        worstName = names.get(i);
                    }
                }
                report("gradients (worst: " + worstName + ")", worstGradient, GRADIENT_TOLERANCE);

                trainer.step(batch);
                assertEquals(1, trainer.step());
                compareAfterStep(ref, start, trainer.lora(), inspection);
            }
        }
    }

    /**
     * The adapters after the AdamW step. First against torch's formula replayed in double from our
     * own gradients (AdamW itself, to float32 rounding); then against diffusers' weights element by
     * element within lr * |g - g_ref| / eps + 1e-8: at step 1 AdamW moves a weight by
     * lr * g / (|g| + eps), whose derivative in g is at most lr / eps, so our gradient error bounds
     * the difference (elements with |g| near eps move most, as the fixture's README explains).
     */
    private static void compareAfterStep(SafetensorsFile ref, LoraWeights start, LoraWeights after,
            UNetLoraTrainer.Inspection inspection) {
        double formulaError = 0;
        double referenceError = 0;
        List<String> names = inspection.parameters();
        for (int i = 0; i < names.size(); i++) {
            String module = names.get(i).substring("lora.unet.".length(), names.get(i).lastIndexOf('.'));
            boolean down = names.get(i).endsWith(".down");
            float[] p0 = down ? start.layers().get(module).down() : start.layers().get(module).up();
            float[] p1 = down ? after.layers().get(module).down() : after.layers().get(module).up();
            float[] g = inspection.gradients().get(i);
            float[] gRef = ref.floats("grad." + peftKey(names.get(i)));
            float[] p1Ref = ref.floats("lora_after_step." + peftKey(names.get(i)));
            for (int j = 0; j < p0.length; j++) {
                double replay = p0[j] * (1 - LEARNING_RATE * 0.01) - LEARNING_RATE * g[j] / (Math.abs(g[j]) + EPSILON);
                formulaError = Math.max(formulaError, Math.abs(p1[j] - replay));
                double difference = Math.abs((double) p1[j] - p1Ref[j]);
                double bound = LEARNING_RATE * Math.abs((double) g[j] - gRef[j]) / EPSILON + 1e-8;
                assertTrue(difference <= bound, names.get(i) + "[" + j + "] after the step: " + p1[j] + " vs " + p1Ref[j]
                        + ", gradients " + g[j] + " vs " + gRef[j]);
                referenceError = Math.max(referenceError, difference);
            }
        }
        report("after step vs replayed AdamW formula (max abs)", formulaError, 1e-7);
        System.out.printf(Locale.ROOT, "after step vs diffusers (max abs): %.3e%n", referenceError);
    }

    /** {@code lora.unet.<module>.down|up} to PEFT's {@code unet.<module>.lora_A|lora_B.weight}. */
    private static String peftKey(String parameter) {
        String module = parameter.substring("lora.".length(), parameter.lastIndexOf('.'));
        return module + (parameter.endsWith(".down") ? ".lora_A.weight" : ".lora_B.weight");
    }

    private static Tensor nhwc(SafetensorsFile ref, String name, int channels, int size) {
        return Tensor.of(SdTiny.nchwToNhwc(ref.floats(name), BATCH, channels, size, size), BATCH, size, size, channels);
    }

    private static double relative(float value, float reference) {
        return Math.abs((double) value - reference) / Math.abs(reference);
    }

    private static void report(String what, double error, double tolerance) {
        System.out.printf(Locale.ROOT, "%s: relative error %.3e (limit %.0e)%n", what, error, tolerance);
        assertTrue(error <= tolerance, what + ": relative error " + error + " over " + tolerance);
    }
}
