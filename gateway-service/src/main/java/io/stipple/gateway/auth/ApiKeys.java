package io.stipple.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key format and hashing. A key reads {@code stp_<prefix>_<secret>}: the 12-hex-digit prefix
 * finds the stored row, the 32-byte random secret is what proves possession. Only SHA-256 of the
 * whole key is stored: the secret has 256 bits of entropy, so a slow password hash would add cost
 * without adding safety.
 */
public final class ApiKeys {

    private static final String SCHEME = "stp";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when no key has the prefix, so the miss does the work of a wrong secret. */
    private static final byte[] DECOY_HASH = hash(SCHEME + "_000000000000_" + "decoy-" + RANDOM.nextLong());

    private ApiKeys() {
    }

    /** A freshly generated key. */
    public static GeneratedKey generate() {
        byte[] prefix = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(prefix);
        RANDOM.nextBytes(secret);
        String prefixText = HexFormat.of().formatHex(prefix);
        String key = SCHEME + "_" + prefixText + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new GeneratedKey(key, prefixText, hash(key));
    }

    /** The prefix of a well-formed key, or null if the text is not shaped like a Stipple key. */
    public static String prefixOf(String key) {
        if (key == null || !key.startsWith(SCHEME + "_") || key.length() < SCHEME.length() + 14) {
            return null;
        }
        int end = key.indexOf('_', SCHEME.length() + 1);
        return end == SCHEME.length() + 13 ? key.substring(SCHEME.length() + 1, end) : null;
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Compares in constant time, so response timing does not reveal how much of a hash matched. */
    public static boolean matches(String key, byte[] storedHash) {
        return MessageDigest.isEqual(hash(key), storedHash);
    }

    /**
     * Checks a presented key against the stored hash of the key with its prefix, or against nothing
     * ({@code null}: no such prefix) at the same cost: the key is hashed and compared either way, so
     * response timing does not tell whether a prefix exists.
     */
    public static boolean verify(String key, byte[] storedHashOrNull) {
        boolean equal = matches(key, storedHashOrNull == null ? DECOY_HASH : storedHashOrNull);
        return equal && storedHashOrNull != null;
    }

    /** A key as shown once to its owner, with what is stored of it. */
    public record GeneratedKey(String key, String prefix, byte[] hash) {
    }
}
