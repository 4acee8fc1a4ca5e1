package io.stipple.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @Test
    void aGeneratedKeyMatchesItsHashAndNothingElse() {
        ApiKeys.GeneratedKey key = ApiKeys.generate();
        assertTrue(key.key().startsWith("stp_" + key.prefix() + "_"));
        assertEquals(key.prefix(), ApiKeys.prefixOf(key.key()));
        assertTrue(ApiKeys.matches(key.key(), key.hash()));
        assertFalse(ApiKeys.matches(key.key() + "x", key.hash()));
        assertNotEquals(key.key(), ApiKeys.generate().key());
    }

    @Test
    void aKeyWhosePrefixHasNoRowIsRefusedAfterTheSameHashing() {
        ApiKeys.GeneratedKey key = ApiKeys.generate();
        assertTrue(ApiKeys.verify(key.key(), key.hash()));
        assertFalse(ApiKeys.verify(key.key(), null), "no row for the prefix: refused (after hashing against a decoy)");
        assertFalse(ApiKeys.verify(key.key() + "x", key.hash()));
    }

    @Test
    void textsNotShapedLikeKeysHaveNoPrefix() {
        assertNull(ApiKeys.prefixOf(null));
        assertNull(ApiKeys.prefixOf("sk_live_123"));
        assertNull(ApiKeys.prefixOf("stp_short_secret"));
        assertNull(ApiKeys.prefixOf("stp_0123456789ab"));
    }
}
