package io.stipple.engine.schedulers;

/**
 * Marks schedulers whose {@code step} depends only on its arguments (no step counter, no history),
 * so the same step may be taken again after re-noising: what RePaint's resampling needs. DDPM and
 * DDIM are; Euler-type and multistep schedulers are not.
 */
public interface Markovian extends Scheduler {
}
