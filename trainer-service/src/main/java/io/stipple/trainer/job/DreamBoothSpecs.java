package io.stipple.trainer.job;

import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.text.Tokenizer;
import java.util.List;

/** Maps a {@link FineTuneSpec} onto the engine's {@link DreamBoothConfig}, refusing what the base cannot do. */
final class DreamBoothSpecs {

    private DreamBoothSpecs() {
    }

    /** For a Stipple base: every word of the instance prompt must be in its vocabulary. */
    static DreamBoothConfig toConfig(FineTuneSpec spec, Tokenizer baseTokenizer, int checkpointEvery) {
        List<String> unknown = baseTokenizer.unknownWords(spec.instancePrompt());
        if (!unknown.isEmpty()) {
            // An unknown word becomes <unk>, shared by every unknown word: the subject would bind to nothing of its own.
            throw new FineTuneRejected("the base model's vocabulary lacks " + unknown + " (prompt \""
                    + spec.instancePrompt() + "\"); identifier tokens it reserves: "
                    + io.stipple.engine.text.Vocabulary.RESERVED_IDENTIFIERS);
        }
        return config(spec, checkpointEvery, ClassImageSettings.DEFAULT);
    }

    /**
     * For a Stable Diffusion base (SdDreamBooth): LoRA adapters on the U-Net with the text encoder
     * frozen, the one setting the engine trains there (CLIP's BPE reads any identifier token).
     */
    static DreamBoothConfig toStableDiffusionConfig(FineTuneSpec spec, ModelRef base, int checkpointEvery,
            ClassImageSettings classImages) {
        if (spec.method() != FineTuneMethod.LORA) {
            throw new FineTuneRejected("base model " + base + " is a Stable Diffusion model, which is fine-tuned with"
                    + " LoRA adapters only: method must be lora, not " + spec.method().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (spec.trainTextEncoder()) {
            throw new FineTuneRejected("base model " + base + " is a Stable Diffusion model, whose text encoder stays"
                    + " frozen (adapters on the U-Net only): train_text_encoder must be false");
        }
        return config(spec, checkpointEvery, classImages);
    }

    private static DreamBoothConfig config(FineTuneSpec spec, int checkpointEvery, ClassImageSettings classImages) {
        var prior = spec.priorPreservation();
        try {
            return new DreamBoothConfig(spec.instancePrompt(), spec.classPrompt(), prior.enabled(),
                    prior.numClassImages(), (float) prior.priorLossWeight(), spec.steps(), (float) spec.learningRate(),
                    spec.batchSize(), spec.seed(), spec.trainTextEncoder(),
                    spec.method() == FineTuneMethod.LORA ? DreamBoothConfig.Method.LORA : DreamBoothConfig.Method.FULL,
                    spec.loraRank() == null ? 0 : spec.loraRank(), checkpointEvery, classImages);
        } catch (IllegalArgumentException e) {
            throw new FineTuneRejected("invalid fine-tune settings: " + e.getMessage(), e);
        }
    }
}
