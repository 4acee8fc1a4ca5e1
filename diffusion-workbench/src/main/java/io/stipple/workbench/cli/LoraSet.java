package io.stipple.workbench.cli;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The {@code --lora} files of one command, opened against its model; closing closes them. */
final class LoraSet implements AutoCloseable {

    private final List<LoraArgument> arguments;
    private final List<ScaledLora> scaled;

    private LoraSet(List<LoraArgument> arguments, List<ScaledLora> scaled) {
        this.arguments = arguments;
        this.scaled = scaled;
    }

    static LoraSet open(DiffusionModel base, List<String> loras) throws IOException {
        List<LoraArgument> arguments = loras == null ? List.of() : loras.stream().map(LoraArgument::parse).toList();
        List<ScaledLora> scaled = new ArrayList<>();
        try {
            for (LoraArgument argument : arguments) {
                LoraFile file = base.openLora(argument.file());
                scaled.add(new ScaledLora(file, argument.scale()));
            }
        } catch (IOException | RuntimeException e) {
            scaled.forEach(lora -> lora.file().close());
            throw e;
        }
        return new LoraSet(arguments, List.copyOf(scaled));
    }

    List<ScaledLora> scaled() {
        return scaled;
    }

    boolean isEmpty() {
        return scaled.isEmpty();
    }

    /** {@code name.safetensors:0.8,other.safetensors:1.0}, for the PNG's parameters. */
    String describe() {
        return arguments.stream().map(LoraArgument::toString).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        scaled.forEach(lora -> lora.file().close());
    }
}
