package io.stipple.workbench.cli;

import io.stipple.engine.sd.SingleFileOptions;
import io.stipple.engine.sd.singlefile.StatedConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What a single-file checkpoint cannot say, stated on the command line (defaults: Stable Diffusion's). */
public final class SingleFileArguments {

    private static final StatedConfig SD = StatedConfig.sdDefaults();

    @Option(names = "--prediction-type", description = "For a .safetensors checkpoint: epsilon (SD 1.x, SD 2.x base) or"
            + " v_prediction (SD 2.x 768-v); no file records it (default: epsilon).")
    String predictionType;

    @Option(names = "--native-resolution", description = "For a .safetensors checkpoint: the side it was trained at"
            + " (default: 512; 768 for SD 2.x 768-v).")
    Integer nativeResolution;

    @Option(names = "--text-encoder-heads", description = "For a .safetensors checkpoint: the text encoder's attention"
            + " heads (default: its width / 64, as every released CLIP).")
    Integer textEncoderHeads;

    @Option(names = "--tokenizer", description = "For a .safetensors checkpoint: the tokenizer folder (vocab.json,"
            + " merges.txt), which no single file holds (default: tokenizer/ beside the file).")
    Path tokenizer;

    /** Whether any of these options was given. */
    boolean given() {
        return predictionType != null || nativeResolution != null || textEncoderHeads != null || tokenizer != null;
    }

    SingleFileOptions forFile(Path file) {
        StatedConfig stated = new StatedConfig(predictionType != null ? predictionType : SD.predictionType(),
                textEncoderHeads != null ? textEncoderHeads : SD.textEncoderHeads(), SD.eosTokenId(),
                nativeResolution != null ? nativeResolution : SD.nativeResolution());
        return new SingleFileOptions(stated, tokenizer != null ? tokenizer : SingleFileOptions.tokenizerBeside(file));
    }
}
