package io.stipple.engine.model;

/**
 * How a model samples when a request says nothing: its native image size and the sampler, steps
 * and guidance it was measured with.
 *
 * @param sampler a scheduler {@code _class_name} (or sampler name) of {@code SamplerChoice}
 */
public record ModelDefaults(ImageSize nativeSize, String sampler, int steps, double guidanceScale) {
}
