package io.stipple.workbench.models;

/**
 * The bundled model folders (relative to the repository root) that {@code ./stipple-engine}
 * commands use when none is named, defined once so that every command agrees. {@link #BASE} is the
 * gateway's default model too ({@code stipple.gateway.default-model}); results measured on another
 * version are quoted in the docs with that version named explicitly.
 */
public final class BundledModels {

    /** The default base (text-to-image) model. */
    public static final String BASE = "models/stipple-base-16/6";

    /** The attribute classifier used only to measure quality. */
    public static final String CLASSIFIER = "models/stipple-classifier-16/1";

    private BundledModels() {
    }
}
