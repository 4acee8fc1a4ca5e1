package io.stipple.gateway.webhook;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Notifications in flight, per tenant and in all, against their limits: a tenant whose endpoint never
 * answers fills its own few slots for the request timeout, never the others'. Per gateway replica.
 */
final class DeliverySlots {

    private final int perTenant;
    private final int total;
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int all;

    DeliverySlots(int perTenant, int total) {
        if (perTenant < 1 || total < perTenant) {
            throw new IllegalArgumentException("webhook slots need 1 <= per-tenant-in-flight (" + perTenant
                    + ") <= max-in-flight (" + total + ")");
        }
        this.perTenant = perTenant;
        this.total = total;
    }

    /** Takes a slot for the tenant if it and the whole have room. */
    synchronized boolean tryTake(String tenant) {
        int own = inFlight.getOrDefault(tenant, 0);
        if (own >= perTenant || all >= total) {
            return false;
        }
        inFlight.put(tenant, own + 1);
        all++;
        return true;
    }

    synchronized void release(String tenant) {
        int own = inFlight.getOrDefault(tenant, 0);
        if (own <= 1) {
            inFlight.remove(tenant);
        } else {
            inFlight.put(tenant, own - 1);
        }
        all = Math.max(0, all - 1);
    }

    /** Tenants with no free slot: their due notifications are not even claimed. */
    synchronized Set<String> fullTenants() {
        return inFlight.entrySet().stream().filter(e -> e.getValue() >= perTenant).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    synchronized int free() {
        return total - all;
    }
}
