package io.stipple.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PresignedGets} against MinIO's client, which signs the same URLs without a kept key: equal strings for the
 * same key and instant, and the client's URL wherever this signer does not take the key or the endpoint. Signing
 * needs no server, so none is started; that the URLs work and refuse tampering is {@link ObjectStoreTest}'s.
 */
class PresignedGetsTest {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final StorageSettings LOCAL = new StorageSettings("http://127.0.0.1:19000", "stipple",
            "stipple-secret/+=", "stipple-test", "us-east-1", "https://files.example.com");

    @ParameterizedTest
    @ValueSource(strings = {"results/acme/0b7c4f6e-1b1a-4c55-9a8e-3f0d2c1b9e77/0.png", "uploads/t-1/u_2/a.b~c-d.jpg", "x"})
    void signsWhatTheClientSignsForTheSameKeyAndInstant(String key) {
        try (ObjectStore store = new ObjectStore(LOCAL)) {
            PresignedGets signer = signerOf(store);
            URI reference = store.presignedByClient(key, 3600);
            assertEquals(Optional.of(reference), signer.sign(key, 3600, signedAt(reference)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uploads/t/a b.png", "uploads/t/ü.png", "uploads/t/a+b.png", "uploads//a.png", "/a.png",
            "a/", "uploads/t/a%20.png"})
    void leavesKeysThatNeedEncodingToTheClient(String key) {
        try (ObjectStore store = new ObjectStore(LOCAL)) {
            assertEquals(Optional.empty(), signerOf(store).sign(key, 300, Instant.now()));
            URI url = store.presignedGet(key, Duration.ofMinutes(5));
            assertEquals(store.presignedByClient(key, 300).getRawPath(), url.getRawPath());
        }
    }

    @Test
    void anEndpointTheClientAddressesByVirtualHostIsLeftToTheClient() {
        StorageSettings aws = new StorageSettings("https://s3.amazonaws.com", "AKIAEXAMPLE", "secret", "stipple",
                "us-east-1");
        try (ObjectStore store = new ObjectStore(aws)) {
            URI reference = store.presignedByClient("results/a/b/0.png", 300);
            assertTrue(reference.getHost().startsWith("stipple."), "the client puts the bucket in the host: " + reference);
            assertEquals(Optional.empty(), PresignedGets.matching(aws, "results/a/b/0.png", 300, reference));
        }
    }

    @Test
    void aDifferentReferenceTurnsTheSignerOff() {
        try (ObjectStore store = new ObjectStore(LOCAL)) {
            String key = "results/a/b/0.png";
            URI reference = store.presignedByClient(key, 300);
            URI otherSignature = URI.create(reference.toString().replaceAll("Signature=.", "Signature=x"));
            assertNotEquals(reference, otherSignature);
            assertEquals(Optional.empty(), PresignedGets.matching(LOCAL, key, 300, otherSignature));
        }
    }

    /** The kept key is the day's: a URL signed on the next day equals that of a signer that never signed before. */
    @Test
    void aNewDayGetsItsOwnSigningKey() {
        try (ObjectStore store = new ObjectStore(LOCAL)) {
            String key = "results/a/b/0.png";
            PresignedGets signer = signerOf(store);
            Instant lastSecond = Instant.parse("2026-12-07T23:59:59Z");
            Instant nextDay = Instant.parse("2026-12-08T00:00:00Z");
            URI before = signer.sign(key, 300, lastSecond).orElseThrow();
            URI after = signer.sign(key, 300, nextDay).orElseThrow();
            assertTrue(before.getRawQuery().contains("%2F20261207%2F") && after.getRawQuery().contains("%2F20261208%2F"));
            assertEquals(signerOf(store).sign(key, 300, nextDay), Optional.of(after));
            assertEquals(signerOf(store).sign(key, 300, lastSecond), Optional.of(before));
        }
    }

    @Test
    void theStoreSignsWithTheFastSignerWhereItMatches() {
        try (ObjectStore store = new ObjectStore(LOCAL)) {
            URI url = store.presignedGet("results/a/b/0.png", Duration.ofMinutes(10));
            assertEquals(signerOf(store).sign("results/a/b/0.png", 600, signedAt(url)), Optional.of(url));
            assertEquals("files.example.com", url.getHost());
        }
    }

    /** A signer checked against the store's client, as the store builds its own. */
    private static PresignedGets signerOf(ObjectStore store) {
        String key = "check/0.png";
        return PresignedGets.matching(store.settings(), key, 300, store.presignedByClient(key, 300)).orElseThrow();
    }

    private static Instant signedAt(URI url) {
        String query = url.getRawQuery();
        int start = query.indexOf("X-Amz-Date=") + "X-Amz-Date=".length();
        return STAMP.parse(query.substring(start, query.indexOf('&', start)), Instant::from);
    }
}
