package io.stipple.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;

/**
 * Chooses the seed of a job whose request named none. The chosen seed is stored in the job's
 * resolved input, so the job stays reproducible; this is the only unseeded randomness, by design.
 */
@ApplicationScoped
public class SeedSource {

    /** Largest seed handed out: 2^53 - 1, so that JavaScript clients read it back exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;

    private final SecureRandom random = new SecureRandom();

    public long next() {
        return random.nextLong(MAX_SEED + 1);
    }
}
