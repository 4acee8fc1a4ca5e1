package io.stipple.trainer.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.model.ModelFamily;
import java.nio.file.Path;

/**
 * A fine-tune's base, found and checked but not loaded: its family decides how it is trained
 * (Stipple models by the engine's DreamBooth, Stable Diffusion pipelines by SdDreamBooth).
 *
 * @param folder  the local version folder (a Stipple model, or a diffusers pipeline folder)
 * @param variant what its import recorded ({@code sd1}, {@code sd2}), or null
 */
public record BaseModel(ModelRef ref, Path folder, ModelFamily family, String variant) {
}
