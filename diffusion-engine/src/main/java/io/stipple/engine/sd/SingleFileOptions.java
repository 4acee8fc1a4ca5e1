package io.stipple.engine.sd;

import io.stipple.engine.sd.singlefile.StatedConfig;
import java.nio.file.Path;

/**
 * What loading a single-file checkpoint takes besides the file: what its user states (prediction
 * type, native resolution, ...; {@link StatedConfig}) and a tokenizer folder ({@code vocab.json},
 * {@code merges.txt}, {@code tokenizer_config.json}), which no single file holds (diffusers'
 * {@code from_single_file} takes it from a config repository).
 *
 * @param stated    what the file cannot say
 * @param tokenizer the tokenizer folder
 */
public record SingleFileOptions(StatedConfig stated, Path tokenizer) {

    /** The folder a single file's tokenizer is looked for in when none is stated: {@code tokenizer/} beside the file. */
    public static final String TOKENIZER_FOLDER = "tokenizer";

    /** Stable Diffusion's defaults ({@link StatedConfig#sdDefaults()}) and the tokenizer folder beside the file. */
    public static SingleFileOptions beside(Path file) {
        return new SingleFileOptions(StatedConfig.sdDefaults(), tokenizerBeside(file));
    }

    /** {@code tokenizer/} in the file's folder. */
    public static Path tokenizerBeside(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(TOKENIZER_FOLDER);
    }
}
