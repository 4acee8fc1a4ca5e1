package io.stipple.workbench.cli;

import io.stipple.engine.export.ModelExporter;
import io.stipple.engine.export.StippleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a model folder's weights into a new folder with the graph this engine version builds
 * (same card, same weights, same signatures), so a model exported before a faster graph
 * formulation (e.g. the group normalisation of docs/benchmarks.md) runs with it.
 */
@Command(name = "reexport", mixinStandardHelpOptions = true,
        description = "Re-export a model folder's weights with the current engine's graph.")
public final class ReexportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true)
    Path modelDir;

    @Option(names = "--out", required = true, description = "New model folder (must not exist).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out)) {
            throw new IOException(out + " already exists");
        }
        try (StippleModel model = StippleModel.load(modelDir)) {
            Map<String, TFloat32> weights = model.weights();
            try {
                Files.createDirectories(out);
                ModelExporter.export(model.card().architecture(), weights, out.resolve(StippleModel.SAVED_MODEL_DIR));
            } finally {
                weights.values().forEach(TFloat32::close);
            }
        }
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, out.resolve(file.getFileName()));
                }
            }
        }
        System.out.println("re-exported " + modelDir + " to " + out);
        return 0;
    }
}
