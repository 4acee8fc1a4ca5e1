package io.stipple.engine.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Opens a checkpoint as a {@link WeightSource}, whichever of the supported forms it has. */
public final class WeightSources {

    /** The suffix of a sharded checkpoint's index (e.g. {@code diffusion_pytorch_model.safetensors.index.json}). */
    public static final String INDEX_SUFFIX = ".safetensors.index.json";

    /** What diffusers (U-Net, VAE) and transformers (text encoders) name a component's weights, in the order looked for. */
    static final List<String> COMPONENT_FILES = List.of(
            "diffusion_pytorch_model.safetensors", "model.safetensors",
            "diffusion_pytorch_model" + INDEX_SUFFIX, "model" + INDEX_SUFFIX);

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
            throw new NoSuchFileException(checkpoint.toString(), null, "no such checkpoint file");
        }
        if (checkpoint.getFileName().toString().endsWith(INDEX_SUFFIX)) {
            return ShardedSafetensors.open(checkpoint);
        }
        return SafetensorsFile.open(checkpoint);
    }

    /**
     * The weights of a diffusers component folder ({@code unet/}, {@code vae/}, {@code text_encoder/}):
     * the first of {@link #COMPONENT_FILES} present, else the folder's only {@code *.safetensors}
     * file (a variant such as {@code diffusion_pytorch_model.fp16.safetensors}). PyTorch pickle
     * files ({@code .bin}, {@code .ckpt}, {@code .pt}) are refused by name: unpickling can run code.
     *
     * @throws CheckpointFormatException when the folder holds only pickles or several candidate files
     * @throws NoSuchFileException       when it holds no weights at all
     */
    public static WeightSource openComponent(Path folder) throws IOException {
        for (String name : COMPONENT_FILES) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return open(folder.resolve(name));
            }
        }
        List<Path> safetensors = filesEndingWith(folder, ".safetensors");
        if (safetensors.size() == 1) {
            return open(safetensors.get(0));
        }
        if (safetensors.size() > 1) {
            throw new CheckpointFormatException(folder + ": several weight files and none named " + COMPONENT_FILES.get(0)
                    + " or " + COMPONENT_FILES.get(1) + ": " + fileNames(safetensors));
        }
        List<Path> pickles = filesEndingWith(folder, ".bin", ".ckpt", ".pt", ".pth");
        if (!pickles.isEmpty()) {
            throw new CheckpointFormatException(folder + ": only PyTorch pickle weights (" + fileNames(pickles)
                    + "); Stipple reads safetensors only, since unpickling can run code: convert them to safetensors first");
        }
        throw new NoSuchFileException(folder.toString(), null, "no " + COMPONENT_FILES.get(0) + ", " + COMPONENT_FILES.get(1)
                + " or sharded index in this folder");
    }

    private static List<Path> filesEndingWith(Path folder, String... suffixes) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such model component folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> Stream.of(suffixes).anyMatch(file.getFileName().toString()::endsWith))
                    .sorted().toList();
        }
    }

    private static String fileNames(List<Path> files) {
        return String.join(", ", files.stream().map(file -> file.getFileName().toString()).toList());
    }
}
