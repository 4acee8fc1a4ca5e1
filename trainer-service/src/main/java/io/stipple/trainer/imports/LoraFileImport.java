package io.stipple.trainer.imports;

import io.stipple.contracts.model.ImportedModel;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.LoraLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an uploaded LoRA file against its base with the engine's own reader ({@link LoraFile}, what the
 * gpu-worker opens it with): a valid safetensors file (a header that lies about offsets or sizes, or a
 * truncated file, is refused), every key a kohya or diffusers/PEFT LoRA key of a layer the base has, each
 * layer's down and up matrices present and fitting the base weight's shape, alphas positive; then every
 * matrix is read once and must hold finite numbers (a NaN would turn every image it touches black).
 */
final class LoraFileImport {

    private LoraFileImport() {
    }

    static ImportedModel inspect(Path file, LoraBases.Base base, long maxBytes) throws IOException {
        requireSize(Files.size(file), maxBytes);
        try (LoraFile lora = LoraFile.open(file, base.targets())) {
            int rank = 0;
            for (LoraLayer layer : lora.layers()) {
                requireFinite(layer.downKey(), lora.down(layer));
                requireFinite(layer.upKey(), lora.up(layer));
                rank = Math.max(rank, layer.rank());
            }
            return new ImportedModel("lora", "stable_diffusion", base.variant(), 0, null, null, base.ref().toString(),
                    null, 0, lora.layers().size(), rank);
        } catch (ImportRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // CheckpointFormatException names the file and keys: the user's to fix. The file by its stored name, not
            // the trainer's work folder.
            throw new ImportRejected("the file is no LoRA of base model " + base.ref() + ": "
                    + String.valueOf(e.getMessage()).replace(file.toString(), ImportedModel.LORA_FILE), e);
        }
    }

    static void requireSize(long size, long maxBytes) {
        if (size > maxBytes) {
            throw new ImportRejected("the LoRA file has " + size + " bytes; LoRA imports accept at most " + maxBytes
                    + " (stipple.trainer.imports.max-lora-bytes)");
        }
    }

    private static void requireFinite(String key, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ImportRejected("the LoRA matrix " + key + " holds " + values[i] + " at element " + i);
            }
        }
    }
}
