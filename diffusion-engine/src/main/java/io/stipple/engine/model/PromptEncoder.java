package io.stipple.engine.model;

import io.stipple.engine.denoise.Conditioning;
import java.util.Collections;
import java.util.List;

/**
 * A model's prompt side: tokenizes prompts and encodes them into the conditioning its denoiser
 * takes (a text embedding for a text-conditioned model, nothing for an unconditional one).
 */
public interface PromptEncoder {

    /** Whether prompts change what the model samples; classifier-free guidance needs it. */
    boolean textConditioned();

    /** One conditioning row per prompt; "" is the unconditional input. */
    Conditioning encode(List<String> prompts);

    /** The unconditional input for {@code count} rows (the empty prompt). */
    default Conditioning unconditional(int count) {
        return encode(Collections.nCopies(count, ""));
    }

    /** Words of {@code prompt} the tokenizer cannot represent (a closed vocabulary's {@code <unk>}); empty for byte-level BPE. */
    List<String> unknownWords(String prompt);

    /** The encoder of a model that takes no prompt. */
    static PromptEncoder none() {
        return new PromptEncoder() {
            @Override
            public boolean textConditioned() {
                return false;
            }

            @Override
            public Conditioning encode(List<String> prompts) {
                return Conditioning.none(prompts.size());
            }

            @Override
            public List<String> unknownWords(String prompt) {
                return List.of();
            }
        };
    }
}
