package io.stipple.engine.model;

import io.stipple.engine.weights.ModelFormatException;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The {@code super_resolution} section of a super-resolution stage's model card: the stage turns
 * {@code inputSize} images into {@code outputSize} ones; its {@code denoise} signature takes
 * {@code low_res} (the input, noise-augmented at the low resolution, then upsampled with
 * {@code upsampling} to the output size) and {@code aug_level} (that augmentation's timestep on the
 * card's schedule). See docs/model-format.md and docs/cascade.md.
 *
 * @param upsampling      how {@code low_res} was upsampled in training; only "bicubic" is defined
 * @param target          what the diffusion model generates: {@value #RESIDUAL}, the difference
 *                        between the output image and the bicubically upsampled clean input (the
 *                        sampler adds that upsampled input back); the only value defined
 * @param trainingCrop    side of the random crops the stage was trained on (= outputSize if none)
 * @param maxAugLevel     augmentation levels seen in training were 0..maxAugLevel
 * @param defaultAugLevel the level to sample a real image with unless told otherwise ("upscale
 *                        only" of a user's image; chosen by measurement on real renders)
 * @param defaultCascadeAugLevel the level to sample a generated image with unless told otherwise
 *                        (the cascade after a base model, whose samples carry the base's errors;
 *                        chosen by measurement on generated bases); absent in older cards, which
 *                        means {@code defaultAugLevel} (see {@link #cascadeAugLevel()})
 * @param residualScale   the diffusion model generates the residual times this factor (the sampler
 *                        divides it out); absent in version-1 cards, which means 1. The residual of
 *                        these images has an rms of only 0.04-0.06, so unscaled it is buried under
 *                        the schedule's unit-variance noise at almost every timestep (docs/cascade.md)
 * @param samplerSettings diffusers scheduler keys the stage samples with by default (e.g.
 *                        {@code timestep_spacing}); absent means none
 */
public record SuperResolutionSpec(int inputSize, int outputSize, String upsampling, String target, int trainingCrop,
        int maxAugLevel, int defaultAugLevel, @JsonInclude(JsonInclude.Include.NON_NULL) Integer defaultCascadeAugLevel,
        Double residualScale, Map<String, String> samplerSettings) {

    public SuperResolutionSpec {
        if (residualScale == null) {
            residualScale = 1.0;
        }
        samplerSettings = samplerSettings == null ? Map.of() : Map.copyOf(samplerSettings);
    }

    /** The default level for generated inputs: the card's cascade level, or its only level if it has none. */
    public int cascadeAugLevel() {
        return defaultCascadeAugLevel != null ? defaultCascadeAugLevel : defaultAugLevel;
    }

    public static final String BICUBIC = "bicubic";
    public static final String RESIDUAL = "residual";

    /**
     * Checks the card section on its own; names what is wrong. (That the loaded {@code denoise}
     * signature matches it is the Stipple loader's check, export.SuperResolutionSignature.)
     */
    public void validate(String modelPath) {
        String where = "super-resolution model " + modelPath + ": ";
        if (inputSize < 1 || outputSize <= inputSize) {
            throw new ModelFormatException(where + "model card says input_size " + inputSize + " and output_size "
                    + outputSize + "; a stage must enlarge");
        }
        if (!BICUBIC.equals(upsampling)) {
            throw new ModelFormatException(where + "upsampling '" + upsampling + "' is not supported (only '"
                    + BICUBIC + "')");
        }
        if (!RESIDUAL.equals(target)) {
            throw new ModelFormatException(where + "target '" + target + "' is not supported (only '" + RESIDUAL
                    + "': the image minus the bicubically upsampled input)");
        }
        if (!(residualScale > 0) || residualScale.isInfinite()) {
            throw new ModelFormatException(where + "residual_scale " + residualScale + " must be a positive number");
        }
        if (defaultAugLevel < 0 || defaultAugLevel > maxAugLevel) {
            throw new ModelFormatException(where + "default_aug_level " + defaultAugLevel
                    + " outside the trained range 0.." + maxAugLevel);
        }
        if (cascadeAugLevel() < 0 || cascadeAugLevel() > maxAugLevel) {
            throw new ModelFormatException(where + "default_cascade_aug_level " + cascadeAugLevel()
                    + " outside the trained range 0.." + maxAugLevel);
        }
    }
}
