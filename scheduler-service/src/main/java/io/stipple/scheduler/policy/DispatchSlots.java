package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.JobKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dispatch slots, counted per {@link SlotGroup}: the shared topic of each kind, and each worker
 * pool's topic (generation work of tenants assigned to a pool). A job in flight uses a slot of its
 * tenant's group only, so a pool whose workers are all down holds back its own tenants and nobody
 * else: their dispatched items wait in the pool's topic and their leases run out and re-queue them,
 * over and over, inside the pool's own slots. Pure: no I/O.
 */
public final class DispatchSlots {

    private final int generationInFlight;
    private final int finetuneInFlight;
    private final int importInFlight;
    private final Map<String, String> poolByTenant;
    private final Map<String, Integer> poolInFlight;

    /**
     * @param tenantPools  worker pool per tenant id (generation work only)
     * @param poolInFlight in-flight limit per pool; a pool not listed gets {@code generationInFlight}
     */
    public DispatchSlots(int generationInFlight, int finetuneInFlight, int importInFlight,
            Map<String, String> tenantPools, Map<String, Integer> poolInFlight) {
        this.generationInFlight = atLeastZero("generation-in-flight", generationInFlight);
        this.finetuneInFlight = atLeastZero("finetune-in-flight", finetuneInFlight);
        this.importInFlight = atLeastZero("import-in-flight", importInFlight);
        this.poolByTenant = new TreeMap<>(tenantPools);
        this.poolInFlight = new TreeMap<>(poolInFlight);
        poolInFlight.forEach((pool, limit) -> {
            if (!tenantPools.containsValue(pool)) {
                throw new IllegalArgumentException("scheduler.dispatch.pool-in-flight." + pool
                        + " names a pool no tenant is assigned to (scheduler.dispatch.tenant-pools)");
            }
            atLeastZero("pool-in-flight." + pool, limit);
        });
    }

    /** The group whose slots a job of this kind and tenant uses. */
    public SlotGroup groupOf(JobKind kind, String tenant) {
        String pool = pooled(kind) ? poolByTenant.get(tenant) : null;
        return pool == null ? SlotGroup.shared(kind) : SlotGroup.pool(kind, pool);
    }

    /** Every group of the kind: the shared one first, then the pools by name. */
    public List<SlotGroup> groups(JobKind kind) {
        List<SlotGroup> groups = new ArrayList<>();
        groups.add(SlotGroup.shared(kind));
        if (pooled(kind)) {
            new TreeSet<>(poolByTenant.values()).forEach(pool -> groups.add(SlotGroup.pool(kind, pool)));
        }
        return groups;
    }

    /** Most jobs of the group in flight at once. */
    public int limit(SlotGroup group) {
        if (group.pooled()) {
            return poolInFlight.getOrDefault(group.pool(), generationInFlight);
        }
        return switch (group.kind()) {
            case GENERATION -> generationInFlight;
            case FINETUNE -> finetuneInFlight;
            case MODEL_IMPORT -> importInFlight;
        };
    }

    /**
     * Whether a kind's work can go to a worker pool: generation only, for now (trainers have no pools).
     * Switch expressions without default here and in {@link #limit}: a new kind fails to compile until
     * its slots are decided.
     */
    private static boolean pooled(JobKind kind) {
        return switch (kind) {
            case GENERATION -> true;
            case FINETUNE, MODEL_IMPORT -> false;
        };
    }

    /** Jobs in flight per group of the kind (every group present), from the count per tenant. */
    public Map<SlotGroup, Long> inFlight(JobKind kind, Map<String, Long> inFlightByTenant) {
        Map<SlotGroup, Long> inFlight = new LinkedHashMap<>();
        groups(kind).forEach(group -> inFlight.put(group, 0L));
        inFlightByTenant.forEach((tenant, count) -> inFlight.merge(groupOf(kind, tenant), count, Long::sum));
        return inFlight;
    }

    /** Free slots per group of the kind (every group present, none below zero), from the count in flight per tenant. */
    public Map<SlotGroup, Integer> free(JobKind kind, Map<String, Long> inFlightByTenant) {
        Map<SlotGroup, Integer> free = new LinkedHashMap<>();
        inFlight(kind, inFlightByTenant).forEach((group, used) ->
                free.put(group, (int) Math.max(0, limit(group) - used)));
        return free;
    }

    private static int atLeastZero(String name, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("scheduler.dispatch." + name + " must be at least 0, was " + limit);
        }
        return limit;
    }
}
