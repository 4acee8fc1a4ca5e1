package io.stipple.trainer.job;

import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.text.Tokenizer;
import java.util.List;

/** Maps a {@link FineTuneSpec} onto the engine's {@link DreamBoothConfig}, refusing what the base cannot read. */
final class DreamBoothSpecs {

    private DreamBoothSpecs() {
    }

    static DreamBoothConfig toConfig(FineTuneSpec spec, Tokenizer baseTokenizer, int checkpointEvery) {
        List<String> unknown = baseTokenizer.unknownWords(spec.instancePrompt());
        if (!unknown.isEmpty()) {
            // An unknown word becomes <unk>, shared by every unknown word: the subject would bind to nothing of its own.
            throw new FineTuneRejected("the base model's vocabulary lacks " + unknown + " (prompt \""
                    + spec.instancePrompt() + "\"); identifier tokens it reserves: "
                    + io.stipple.engine.text.Vocabulary.RESERVED_IDENTIFIERS);
        }
        var prior = spec.priorPreservation();
        try {
            return new DreamBoothConfig(spec.instancePrompt(), spec.classPrompt(), prior.enabled(),
                    prior.numClassImages(), (float) prior.priorLossWeight(), spec.steps(), (float) spec.learningRate(),
                    spec.batchSize(), spec.seed(), spec.trainTextEncoder(),
                    spec.method() == FineTuneMethod.LORA ? DreamBoothConfig.Method.LORA : DreamBoothConfig.Method.FULL,
                    spec.loraRank() == null ? 0 : spec.loraRank(), checkpointEvery, ClassImageSettings.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new FineTuneRejected("invalid fine-tune settings: " + e.getMessage(), e);
        }
    }
}
