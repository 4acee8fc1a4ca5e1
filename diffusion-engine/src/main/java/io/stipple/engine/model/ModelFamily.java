package io.stipple.engine.model;

/** A kind of diffusion model: one {@link DiffusionModel} implementation and the folder layout its loader reads. */
public enum ModelFamily {
    /** Stipple's own models: {@code model_card.json} + {@code saved_model/} (docs/model-format.md), pixel space. */
    STIPPLE("Stipple"),
    /** Stable Diffusion 1.x/2.x in the diffusers folder layout ({@code model_index.json}), latent space. */
    STABLE_DIFFUSION("Stable Diffusion");

    private final String label;

    ModelFamily(String label) {
        this.label = label;
    }

    /** The family's name in messages ("Stable Diffusion"). */
    @Override
    public String toString() {
        return label;
    }
}
