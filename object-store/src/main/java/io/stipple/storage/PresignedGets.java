package io.stipple.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigned GET URLs (AWS Signature V4 in the query string) for path-style endpoints, signed with the day's signing
 * key kept between URLs. MinIO's client derives that key again for every URL (four HMACs, each with a new
 * {@code Mac}) and builds and parses an OkHttp request around it: the gateway's terminal event, which signs its
 * job's result links when it is sent, spent ~0.4 ms of CPU per job there (docs/benchmarks.md section 5). A URL from
 * here is the one MinIO's client gives for the same key and instant, character for character:
 * {@link #matching} checks that against the client itself before any is used, and {@link #sign} takes only keys
 * whose encoding is the identity (anything else is left to the client).
 */
final class PresignedGets {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String HMAC = "HmacSHA256";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Unreserved characters and single slashes between them: such a key is its own URI encoding. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final HexFormat HEX = HexFormat.of();

    /** Scheme and authority of the endpoint, e.g. {@code http://127.0.0.1:9000}. */
    private final String origin;
    private final String host;
    private final String bucketPath;
    private final String accessKey;
    private final byte[] secret;
    private final String region;
    /** The signing key of the last day signed for; replaced, never changed, so a reader sees a whole one. */
    private volatile DayKey dayKey;

    private PresignedGets(String origin, String host, StorageSettings settings) {
        this.origin = origin;
        this.host = host;
        this.bucketPath = "/" + settings.bucket() + "/";
        this.accessKey = settings.accessKey();
        this.secret = ("AWS4" + settings.secretKey()).getBytes(StandardCharsets.UTF_8);
        this.region = settings.region();
    }

    /**
     * A signer for the settings' public endpoint if it gives exactly the URL MinIO's client gave
     * ({@code reference}, for {@code key} and {@code expirySeconds}); empty when it does not (a virtual-host style
     * endpoint, credentials or names that need encoding), and then the client signs every URL.
     */
    static Optional<PresignedGets> matching(StorageSettings settings, String key, int expirySeconds, URI reference) {
        if (!PLAIN.matcher(settings.bucket()).matches() || !PLAIN.matcher(settings.accessKey()).matches()
                || !PLAIN.matcher(settings.region()).matches() || reference.getRawAuthority() == null
                || !reference.getRawPath().equals("/" + settings.bucket() + "/" + key)) {
            return Optional.empty();
        }
        String origin = reference.getScheme() + "://" + reference.getRawAuthority();
        PresignedGets signer = new PresignedGets(origin, reference.getRawAuthority(), settings);
        Instant signedAt = amzDate(reference.getRawQuery());
        if (signedAt == null) {
            return Optional.empty();
        }
        return signer.sign(key, expirySeconds, signedAt).filter(reference::equals).map(ignored -> signer);
    }

    /** The URL of {@code key}, signed at {@code now}; empty for a key that needs encoding (the client's to sign). */
    Optional<URI> sign(String key, int expirySeconds, Instant now) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        String day = DAY.format(now);
        String stamp = STAMP.format(now);
        String scope = day + "/" + region + "/s3/aws4_request";
        String query = "X-Amz-Algorithm=" + ALGORITHM + "&X-Amz-Credential=" + accessKey + "%2F" + day + "%2F" + region
                + "%2Fs3%2Faws4_request&X-Amz-Date=" + stamp + "&X-Amz-Expires=" + expirySeconds
                + "&X-Amz-SignedHeaders=host";
        String path = bucketPath + key;
        String canonicalRequest = "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
        String toSign = ALGORITHM + "\n" + stamp + "\n" + scope + "\n" + HEX.formatHex(sha256(canonicalRequest));
        String signature = HEX.formatHex(hmac(keyOf(day), toSign));
        return Optional.of(URI.create(origin + path + "?" + query + "&X-Amz-Signature=" + signature));
    }

    private byte[] keyOf(String day) {
        DayKey current = dayKey;
        if (current == null || !current.day().equals(day)) {
            byte[] key = hmac(hmac(hmac(hmac(secret, day), region), "s3"), "aws4_request");
            current = new DayKey(day, key);
            dayKey = current;
        }
        return current.key();
    }

    private static Instant amzDate(String query) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("X-Amz-Date=")) {
                return STAMP.parse(pair.substring("X-Amz-Date=".length()), Instant::from);
            }
        }
        return null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private record DayKey(String day, byte[] key) {
    }
}
