package io.stipple.engine.classifier;

/**
 * Architecture of the attribute classifiers: three stages of {@code blocksPerStage} blocks of 3x3
 * conv + GroupNorm + SiLU at resolution, /2 and /4 (the last two entered by a stride-2 conv; two
 * blocks at full resolution are what separates a small cross from a small diamond at 16x16),
 * then the flattened map (which
 * keeps where things are, needed for the position head) through a dense layer to the
 * {@code featureDim} features, and one softmax head per attribute.
 *
 * @param resolution   input height and width
 * @param widths       channels of the three stages
 * @param blocksPerStage conv blocks per stage (at least 1)
 * @param featureDim   width of the penultimate features (Fréchet distance feature space)
 * @param groups       GroupNorm groups
 * @param noiseAware   whether the network also takes a diffusion timestep (classifier guidance)
 * @param timeEmbedDim width of the sinusoidal timestep embedding (noise-aware only)
 */
public record ClassifierConfig(int resolution, int[] widths, int blocksPerStage, int featureDim, int groups,
                               boolean noiseAware, int timeEmbedDim) {

    public ClassifierConfig {
        if (resolution % 4 != 0 || widths.length != 3 || blocksPerStage < 1 || featureDim < 1 || groups < 1) {
            throw new IllegalArgumentException("resolution must divide by 4, 3 stage widths, at least 1 block per stage");
        }
        widths = widths.clone();
    }

    /** The measuring classifier at 16x16. */
    public static ClassifierConfig clean16() {
        return new ClassifierConfig(16, new int[] {32, 64, 64}, 2, 128, 8, false, 0);
    }

    /** The guidance classifier at 16x16. */
    public static ClassifierConfig noiseAware16() {
        return new ClassifierConfig(16, new int[] {32, 64, 64}, 2, 128, 8, true, 64);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }
}
