package io.stipple.cli.api;

/**
 * How far a job is in its current stage.
 *
 * @param stage e.g. {@code base}, {@code upscale_x2}, {@code class_images}, {@code training}
 * @param loss  the training loss at this step (fine-tunes), or null
 */
public record Progress(int step, int total, String stage, Double loss, String previewKey) {
}
