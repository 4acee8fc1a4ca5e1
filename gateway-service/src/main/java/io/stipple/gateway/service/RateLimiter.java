package io.stipple.gateway.service;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.service.rejection.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-tenant token bucket for requests: {@code requestBurst} tokens, refilled continuously at
 * {@code requestsPerMinute}. Kept in memory per gateway replica: with N replicas behind a load
 * balancer a tenant gets about N times the rate, which is acceptable for protecting the service
 * (it is not a billing quota).
 */
@ApplicationScoped
public class RateLimiter {

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final double capacity;
    private final double tokensPerNano;
    private final Clock clock;

    @Inject
    public RateLimiter(GatewayConfig config, Clock clock) {
        this(config.limits().requestsPerMinute(), config.limits().requestBurst(), clock);
    }

    RateLimiter(int requestsPerMinute, int burst, Clock clock) {
        this.capacity = burst;
        this.tokensPerNano = requestsPerMinute / 60e9;
        this.clock = clock;
    }

    /** Takes one token or fails with RateLimitedException and the seconds until one is available. */
    public void acquire(String tenantId) {
        long now = clock.millis() * 1_000_000L;
        Bucket bucket = buckets.computeIfAbsent(tenantId, id -> new Bucket(capacity, now));
        double waitNanos = bucket.take(now, capacity, tokensPerNano);
        if (waitNanos > 0) {
            throw new RateLimitedException("request rate limit of this tenant reached",
                    (long) Math.ceil(waitNanos / 1e9));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        /** Returns 0 if a token was taken, else the nanoseconds until one will be there. */
        synchronized double take(long now, double capacity, double tokensPerNano) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - updatedNanos) * tokensPerNano);
            updatedNanos = Math.max(updatedNanos, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / tokensPerNano;
        }
    }
}
