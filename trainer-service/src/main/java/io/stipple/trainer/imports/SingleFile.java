package io.stipple.trainer.imports;

import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.PredictionType;
import io.stipple.engine.sd.singlefile.SingleFileCheckpoint;
import io.stipple.engine.sd.singlefile.SingleFileConfigs;
import io.stipple.engine.sd.singlefile.StatedConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks an uploaded single-file checkpoint (original LDM / A1111 names, SD 1.x / 2.x) with the
 * engine's own reader: every key must be a known U-Net, VAE or text-encoder weight (or a known unused
 * one), and the configs are inferred from the shapes; the caller's stated prediction type and native
 * resolution fill in what no file records.
 */
final class SingleFile {

    /** Stable Diffusion's training resolution for SD 1.x and SD 2.x base. */
    static final int DEFAULT_RESOLUTION = 512;

    private SingleFile() {
    }

    static ImportedModel inspect(Path file, ModelImportSpec spec) {
        String prediction = spec.predictionType() == PredictionType.V_PREDICTION ? "v_prediction" : "epsilon";
        int resolution = spec.nativeResolution() == null ? DEFAULT_RESOLUTION : spec.nativeResolution();
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file)) {
            SingleFileConfigs configs = checkpoint.configs(new StatedConfig(prediction,
                spec.textEncoderHeads() == null ? 0 : spec.textEncoderHeads(), -1, resolution));
            String variant = (configs.sd2() ? "sd2" : "sd1") + (configs.inpainting() ? "-inpainting" : "");
            // diffusers' from_single_file builds a DDIMScheduler from LDM's stored schedule; so does the engine.
            return ImportedModel.checkpoint("single_file", variant, resolution, prediction, "DDIMScheduler")
                    .withTextEncoderHeads(spec.textEncoderHeads());
        } catch (IOException | RuntimeException e) {
            throw new ImportRejected("the checkpoint is no Stable Diffusion 1.x/2.x single file: " + e.getMessage(), e);
        }
    }
}
