package io.stipple.engine.dreambooth;

/**
 * How class images are sampled from the base model. The seed is fixed rather than the job's, so
 * every fine-tune of one base and class prompt shares one cached set.
 */
public record ClassImageSettings(String sampler, int steps, double guidance, long seed) {

    public static final ClassImageSettings DEFAULT = new ClassImageSettings("dpmpp_2m", 20, 3.0, 0);

    /** Stable text of the settings, part of the cache key. */
    String key() {
        return sampler + "|" + steps + "|" + guidance + "|" + seed;
    }
}
