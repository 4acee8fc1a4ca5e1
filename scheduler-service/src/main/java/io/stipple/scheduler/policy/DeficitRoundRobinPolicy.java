package io.stipple.scheduler.policy;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Weighted deficit round robin (Shreedhar and Varghese, 1995) over tenants. Tenants with waiting work
 * take turns in arrival order; at the start of its turn a tenant's deficit grows by
 * {@code quantum * weight}, and it is served while its deficit covers the cost of its oldest job.
 * Over time each busy tenant gets dispatch capacity in proportion to its weight, whatever the size
 * of its backlog. A tenant whose queue empties leaves the ring and forfeits its deficit, so idle
 * tenants cannot bank credit.
 */
public final class DeficitRoundRobinPolicy implements FairSharePolicy {

    private static final Comparator<WaitingJob> ARRIVAL =
            Comparator.comparing(WaitingJob::queuedAt).thenComparing(WaitingJob::tenant);

    private final int quantum;
    private final ToIntFunction<String> weights;
    private final Deque<String> ring = new ArrayDeque<>();
    private final Map<String, Long> deficits = new HashMap<>();
    /** Whether the tenant at the head of the ring already received its quantum for the current turn. */
    private boolean turnOpen;

    /**
     * @param quantum credit a tenant of weight 1 receives per turn; with unit job costs, 1 gives plain
     *                round robin
     * @param weights each tenant's weight (at least 1)
     */
    public DeficitRoundRobinPolicy(int quantum, ToIntFunction<String> weights) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1, was " + quantum);
        }
        this.quantum = quantum;
        this.weights = weights;
    }

    @Override
    public Optional<WaitingJob> pick(Collection<WaitingJob> heads) {
        if (heads.isEmpty()) {
            return Optional.empty();
        }
        Map<String, WaitingJob> headByTenant = heads.stream()
                .collect(Collectors.toMap(WaitingJob::tenant, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("two heads for tenant " + a.tenant());
                }));
        forgetIdleTenants(headByTenant);
        enqueueNewTenants(heads);
        while (true) {
            String tenant = ring.peekFirst();
            if (!turnOpen) {
                deficits.merge(tenant, (long) quantum * weightOf(tenant), Long::sum);
                turnOpen = true;
            }
            WaitingJob head = headByTenant.get(tenant);
            long deficit = deficits.get(tenant);
            if (deficit >= head.cost()) {
                deficits.put(tenant, deficit - head.cost());
                return Optional.of(head);
            }
            ring.addLast(ring.pollFirst());
            turnOpen = false;
        }
    }

    private void forgetIdleTenants(Map<String, WaitingJob> headByTenant) {
        String current = ring.peekFirst();
        ring.removeIf(tenant -> !headByTenant.containsKey(tenant));
        deficits.keySet().retainAll(headByTenant.keySet());
        if (current != null && !current.equals(ring.peekFirst())) {
            turnOpen = false;
        }
    }

    private void enqueueNewTenants(Collection<WaitingJob> heads) {
        heads.stream()
                .filter(head -> !deficits.containsKey(head.tenant()))
                .sorted(ARRIVAL)
                .forEach(head -> {
                    ring.addLast(head.tenant());
                    deficits.put(head.tenant(), 0L);
                });
    }

    private int weightOf(String tenant) {
        int weight = weights.applyAsInt(tenant);
        if (weight < 1) {
            throw new IllegalStateException("weight of tenant " + tenant + " must be at least 1, was " + weight);
        }
        return weight;
    }
}
