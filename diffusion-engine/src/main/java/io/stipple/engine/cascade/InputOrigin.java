package io.stipple.engine.cascade;

/**
 * Where a super-resolution chain's input comes from, which decides each stage's default
 * augmentation level (docs/cascade.md): a base model's samples carry its errors, which a higher
 * noise-conditioning level teaches the stage to discount; a real image has none to discount, and
 * augmentation only costs detail there.
 */
public enum InputOrigin {
    /** Sampled by a base model (the cascade): the card's {@code default_cascade_aug_level}. */
    GENERATED,
    /** A real image ("upscale only" of a user's image, eval on real renders): the card's {@code default_aug_level}. */
    REAL
}
