package io.stipple.engine.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.export.TinyModels;
import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.unet.ModelConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** LoRA fine-tuning starts exactly at the base model and only moves the adapters. */
class FineTuningTest {

    private static float[] values(TFloat32 tensor) {
        float[] out = new float[(int) tensor.size()];
        tensor.asRawTensor().data().asFloats().read(out);
        return out;
    }

    @Test
    void loraStartsAtTheBaseModelAndTrainsOnlyAdapters() {
        Tokenizer tokenizer = TinyModels.tokenizer();
        ModelConfig config = TinyModels.textModel(tokenizer.vocabulary().size());
        float[] images = new float[4 * 8 * 8 * 3];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.sin(0.7 * i);
        }
        TrainingBatch batch = TrainingBatch.of(TinyModels.CAPTIONS, images);
        TrainerConfig trainerConfig = new TrainerConfig(1e-2f, 0, 0.9f, 0.999f, 1e-8f, 1f, 0.5f);
        // EMA decay 0: the base's exported (EMA) weights are its raw weights, which evaluate() uses.
        TrainerConfig noAveraging = new TrainerConfig(1e-2f, 0, 0.9f, 0.999f, 1e-8f, 1f, 0f);
        try (DiffusionTrainer base = new DiffusionTrainer(config, tokenizer,
                        SchedulerConfigs.create(TinyModels.scheduler()), noAveraging, 1, 0f);
                DiffusionTrainer lora = new DiffusionTrainer(config, tokenizer,
                        SchedulerConfigs.create(TinyModels.scheduler()), trainerConfig, 1, 0f, FineTuning.lora(2))) {
            base.initialize();
            // A few real steps: an untrained U-Net's zero output convolution would block every gradient.
            for (int i = 0; i < 3; i++) {
                base.train(batch);
            }
            Map<String, TFloat32> baseWeights = base.averagedWeights();
            try {
                lora.initializeFrom(baseWeights);
                assertTrue(lora.trainableParameterCount() > 0);
                assertTrue(lora.trainableParameterCount() < base.trainableParameterCount() / 5);
                assertEquals(base.evaluate(batch, 77), lora.evaluate(batch, 77), "zero-initialised update");

                for (int i = 0; i < 5; i++) {
                    lora.train(batch);
                }
                Map<String, TFloat32> tuned = lora.averagedWeights();
                try {
                    List<String> adapterNames = tuned.keySet().stream().filter(LowRankAdapters::isAdapterWeight).toList();
                    assertFalse(adapterNames.isEmpty());
                    assertTrue(adapterNames.stream().allMatch(n -> n.startsWith("unet_")), adapterNames.toString());
                    for (String name : baseWeights.keySet()) {
                        assertArrayEquals(values(baseWeights.get(name)), values(tuned.get(name)), name + " is frozen");
                    }
                    boolean moved = adapterNames.stream().filter(n -> n.endsWith("_lora_up"))
                            .anyMatch(n -> values(tuned.get(n))[0] != 0f || values(tuned.get(n))[1] != 0f);
                    assertTrue(moved, "adapters trained");
                } finally {
                    tuned.values().forEach(TFloat32::close);
                }
            } finally {
                baseWeights.values().forEach(TFloat32::close);
            }
        }
    }
}
