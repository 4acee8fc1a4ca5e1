package io.stipple.engine.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a checkpoint as a {@link WeightSource}, whichever of the supported forms it has. */
public final class WeightSources {

    /** The suffix of a sharded checkpoint's index (e.g. {@code diffusion_pytorch_model.safetensors.index.json}). */
    public static final String INDEX_SUFFIX = ".safetensors.index.json";

    private WeightSources() {
    }

    /**
     * A {@code *.safetensors.index.json} opens as its shards ({@link ShardedSafetensors}), any other
     * file as one safetensors file ({@link SafetensorsFile}).
     *
     * @throws CheckpointFormatException when the checkpoint is malformed (naming the file and tensor)
     * @throws IOException               when it cannot be read
     */
    public static WeightSource open(Path checkpoint) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new java.nio.file.NoSuchFileException(checkpoint.toString(), null, "no such checkpoint file");
        }
        if (checkpoint.getFileName().toString().endsWith(INDEX_SUFFIX)) {
            return ShardedSafetensors.open(checkpoint);
        }
        return SafetensorsFile.open(checkpoint);
    }
}
