package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.Priority;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses which waiting jobs of one kind to dispatch into the free slots: priority classes strictly in
 * order, and within a class the class's {@link FairSharePolicy} across tenants; each tenant's own jobs
 * go oldest first. Pure: no clock, no I/O, one policy instance per class kept across calls.
 */
public final class DispatchPlanner {

    private static final Comparator<WaitingJob> OLDEST_FIRST =
            Comparator.comparing(WaitingJob::queuedAt).thenComparing(WaitingJob::jobId);

    /** Classes in the order they are served: strictly, a waiting job of an earlier class always goes first. */
    public static final List<Priority> SERVICE_ORDER = List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW);

    private final Map<Priority, FairSharePolicy> policies = new EnumMap<>(Priority.class);

    public DispatchPlanner(Function<Priority, FairSharePolicy> policyFactory) {
        for (Priority priority : Priority.values()) {
            policies.put(priority, policyFactory.apply(priority));
        }
    }

    /**
     * @param waiting   queued, not yet dispatched jobs; need not be complete, but must hold each
     *                  tenant's oldest jobs of each class (at least {@code freeSlots} of them, or all)
     * @param freeSlots how many jobs may be dispatched now
     * @return the jobs to dispatch, in dispatch order, at most {@code freeSlots}
     */
    public List<WaitingJob> plan(Collection<WaitingJob> waiting, int freeSlots) {
        List<WaitingJob> chosen = new ArrayList<>();
        Map<Priority, Map<String, Deque<WaitingJob>>> queues = queuesByClassAndTenant(waiting);
        for (Priority priority : SERVICE_ORDER) {
            Map<String, Deque<WaitingJob>> byTenant = queues.get(priority);
            while (chosen.size() < freeSlots && byTenant != null && !byTenant.isEmpty()) {
                List<WaitingJob> heads = byTenant.values().stream().map(Deque::peekFirst).toList();
                WaitingJob next = policies.get(priority).pick(heads)
                        .orElseThrow(() -> new IllegalStateException("policy picked nothing from " + heads));
                Deque<WaitingJob> queue = byTenant.get(next.tenant());
                if (queue == null || !queue.peekFirst().equals(next)) {
                    throw new IllegalStateException("policy picked " + next + ", not one of " + heads);
                }
                queue.pollFirst();
                if (queue.isEmpty()) {
                    byTenant.remove(next.tenant());
                }
                chosen.add(next);
            }
        }
        return chosen;
    }

    private static Map<Priority, Map<String, Deque<WaitingJob>>> queuesByClassAndTenant(
            Collection<WaitingJob> waiting) {
        Map<Priority, Map<String, Deque<WaitingJob>>> queues = new EnumMap<>(Priority.class);
        waiting.stream().sorted(OLDEST_FIRST).forEach(job -> queues
                .computeIfAbsent(job.priority(), p -> new LinkedHashMap<>())
                .computeIfAbsent(job.tenant(), t -> new ArrayDeque<>())
                .addLast(job));
        return queues;
    }
}
