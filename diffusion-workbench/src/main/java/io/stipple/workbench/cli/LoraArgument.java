package io.stipple.workbench.cli;

import java.nio.file.Path;

/**
 * {@code --lora file.safetensors:0.8}: a LoRA file and its scale (1 when no {@code :scale} ends
 * the argument).
 */
record LoraArgument(Path file, double scale) {

    static LoraArgument parse(String argument) {
        int colon = argument.lastIndexOf(':');
        if (colon > 0) {
            String scale = argument.substring(colon + 1);
            try {
                return new LoraArgument(Path.of(argument.substring(0, colon)), Double.parseDouble(scale));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--lora " + argument + ": the scale after ':' must be a number, not '"
                        + scale + "'");
            }
        }
        return new LoraArgument(Path.of(argument), 1.0);
    }

    @Override
    public String toString() {
        return file.getFileName() + ":" + scale;
    }
}
