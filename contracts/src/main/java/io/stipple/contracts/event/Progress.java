package io.stipple.contracts.event;

/**
 * How far a job is.
 *
 * @param step        steps done in the current stage
 * @param total       steps of the current stage
 * @param stage       the stage, e.g. {@code base}, {@code upscale_x2}, {@code class_images}, {@code training}
 * @param loss        the training loss at this step (fine-tunes), or null
 * @param previewKey  object key of a preview image, or null
 */
public record Progress(int step, int total, String stage, Double loss, String previewKey) {

    public Progress {
        if (step < 0 || total < 0 || step > total) {
            throw new IllegalArgumentException("progress needs 0 <= step <= total, got " + step + "/" + total);
        }
    }

    /** Fraction of the current stage done, 0 to 1. */
    public double fraction() {
        return total == 0 ? 0.0 : (double) step / total;
    }
}
