package io.stipple.engine.unet;

/**
 * Names of the model inputs and outputs: graph placeholder names in training, and the input
 * names of the exported SavedModel's signatures (see docs/model-format.md), which are also the
 * {@code Conditioning} names the engine feeds.
 */
public final class ModelInputs {

    public static final String ENCODE_TEXT = "encode_text";
    public static final String DENOISE = "denoise";

    public static final String TOKENS = "tokens";
    public static final String TEXT_EMBEDDING = "text_embedding";
    public static final String SAMPLE = "sample";
    public static final String TIMESTEP = "timestep";
    public static final String LOW_RES = "low_res";
    public static final String AUG_LEVEL = "aug_level";
    public static final String OUTPUT = "output";

    private ModelInputs() {
    }
}
