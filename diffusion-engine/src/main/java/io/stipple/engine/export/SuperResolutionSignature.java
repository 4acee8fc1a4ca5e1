package io.stipple.engine.export;

import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.unet.ModelInputs;
import io.stipple.engine.weights.ModelFormatException;
import java.util.Arrays;
import java.util.Set;

/** That a super-resolution stage's loaded {@code denoise} signature matches its card's {@link SuperResolutionSpec}. */
final class SuperResolutionSignature {

    private SuperResolutionSignature() {
    }

    /** Checks the card section, then the signature against it; names what is wrong. */
    static void validate(SuperResolutionSpec spec, SavedModelDenoiser denoiser, String modelPath) {
        spec.validate(modelPath);
        String where = "super-resolution model " + modelPath + ": ";
        int[] sample = denoiser.sampleShape();
        if (sample[0] != spec.outputSize() || sample[1] != spec.outputSize()) {
            throw new ModelFormatException(where + "denoise samples are " + sample[0] + "x" + sample[1]
                    + " but the card's output_size is " + spec.outputSize());
        }
        Set<String> inputs = denoiser.conditioningInputs();
        for (String required : new String[] {ModelInputs.LOW_RES, ModelInputs.AUG_LEVEL}) {
            if (!inputs.contains(required)) {
                throw new ModelFormatException(where + "signature 'denoise' lacks the input '" + required
                        + "' a super-resolution stage needs (its conditioning inputs are " + inputs + ")");
            }
        }
        long[] lowRes = denoiser.conditioningShape(ModelInputs.LOW_RES);
        if (lowRes.length != 4 || lowRes[1] != spec.outputSize() || lowRes[2] != spec.outputSize() || lowRes[3] != sample[2]) {
            throw new ModelFormatException(where + "input 'low_res' has shape " + Arrays.toString(lowRes)
                    + ", expected [-1, " + spec.outputSize() + ", " + spec.outputSize() + ", " + sample[2] + "] (upsampled to the output size)");
        }
        long[] level = denoiser.conditioningShape(ModelInputs.AUG_LEVEL);
        if (level.length != 1) {
            throw new ModelFormatException(where + "input 'aug_level' has shape " + Arrays.toString(level)
                    + ", expected [-1] (one level per row)");
        }
    }
}
