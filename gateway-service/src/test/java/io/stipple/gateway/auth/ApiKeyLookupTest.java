package io.stipple.gateway.auth;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.repository.ApiKeyRow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The key cache on a hand-driven clock: what it saves (lookups) and what it must not keep (revocations, misses). */
class ApiKeyLookupTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final ApiKeyRow ROW = new ApiKeyRow("tenant-a", ApiKeys.hash("stp_0123456789ab_secret"), null);

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<ApiKeyRow> stored = new AtomicReference<>(ROW);
    private final List<String> loads = new ArrayList<>();
    private final ApiKeyLookup lookup = new ApiKeyLookup(prefix -> {
        loads.add(prefix);
        return Uni.createFrom().item(stored.get());
    }, TTL, 100, nanos::get);

    @Test
    void aKnownKeyIsReadOnceWithinTheTtl() {
        assertSame(ROW, find("0123456789ab"));
        nanos.addAndGet(TTL.toNanos() - 1);
        assertSame(ROW, find("0123456789ab"));
        assertEquals(List.of("0123456789ab"), loads);
    }

    @Test
    void aRevokedKeyIsRefusedOnceTheTtlHasPassed() {
        assertSame(ROW, find("0123456789ab"));
        stored.set(null); // revoked in the database: the lookup query no longer finds it
        nanos.addAndGet(TTL.toNanos());
        assertNull(find("0123456789ab"));
        assertEquals(2, loads.size());
    }

    @Test
    void forgettingAKeyReadsItAgainAtOnce() {
        find("0123456789ab");
        stored.set(null);
        lookup.forget("0123456789ab");
        assertNull(find("0123456789ab"));
    }

    @Test
    void unknownPrefixesAreNotRemembered() {
        stored.set(null);
        assertNull(find("ffffffffffff"));
        stored.set(ROW); // the key is created a moment later: it works at once
        assertSame(ROW, find("ffffffffffff"));
        assertEquals(2, loads.size());
    }

    @Test
    void aZeroTtlReadsEveryTime() {
        ApiKeyLookup uncached = new ApiKeyLookup(prefix -> {
            loads.add(prefix);
            return Uni.createFrom().item(ROW);
        }, Duration.ZERO, 100, nanos::get);
        uncached.findActiveKey("0123456789ab").await().indefinitely();
        uncached.findActiveKey("0123456789ab").await().indefinitely();
        assertEquals(2, loads.size());
    }

    private ApiKeyRow find(String prefix) {
        return lookup.findActiveKey(prefix).await().indefinitely();
    }
}
