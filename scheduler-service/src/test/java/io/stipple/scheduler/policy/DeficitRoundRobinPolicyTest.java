package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.Priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeficitRoundRobinPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static WaitingJob head(String tenant, int secondsAfterT0, int cost) {
        return new WaitingJob(UUID.randomUUID(), tenant, Priority.NORMAL, T0.plusSeconds(secondsAfterT0), cost);
    }

    /** Picks {@code rounds} times from tenants that always have more work; returns how often each was served. */
    private static Map<String, Integer> servedCounts(FairSharePolicy policy, Map<String, Integer> costs, int rounds) {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            List<WaitingJob> heads = new ArrayList<>();
            int arrival = 0;
            for (var tenantCost : costs.entrySet()) {
                heads.add(head(tenantCost.getKey(), arrival++, tenantCost.getValue()));
            }
            String tenant = policy.pick(heads).orElseThrow().tenant();
            served.merge(tenant, 1, Integer::sum);
        }
        return served;
    }

    @Test
    void nothingWaitingPicksNothing() {
        assertTrue(new DeficitRoundRobinPolicy(1, t -> 1).pick(List.of()).isEmpty());
    }

    @Test
    void equalWeightsAndCostsAlternateInArrivalOrder() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> 1);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(policy.pick(List.of(head("b", 5, 1), head("a", 1, 1), head("c", 9, 1))).orElseThrow().tenant());
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), order);
    }

    @Test
    void weightsShareCapacityProportionally() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> t.equals("gold") ? 3 : 1);
        Map<String, Integer> served = servedCounts(policy, Map.of("gold", 1, "basic", 1), 400);
        assertEquals(300, served.get("gold"));
        assertEquals(100, served.get("basic"));
    }

    @Test
    void expensiveJobsCountAgainstTheShare() {
        // "big" submits jobs costing 4, "small" jobs costing 1: both get the same capacity, so small runs 4 times as many.
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(4, t -> 1);
        Map<String, Integer> served = servedCounts(policy, Map.of("big", 4, "small", 1), 500);
        assertEquals(100, served.get("big"));
        assertEquals(400, served.get("small"));
    }

    @Test
    void aJobDearerThanOneQuantumStillGetsServedAfterEnoughTurns() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> 1);
        Map<String, Integer> served = servedCounts(policy, Map.of("whale", 10, "minnow", 1), 110);
        assertEquals(10, served.get("whale"));
        assertEquals(100, served.get("minnow"));
    }

    @Test
    void aTenantWhoseQueueEmptiedLosesItsBankedCredit() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(10, t -> 1);
        // "a" takes one cost-1 job with a 10 quantum and keeps 9 credit while it still has work...
        assertEquals("a", policy.pick(List.of(head("a", 0, 1))).orElseThrow().tenant());
        // ...then goes idle: "b" alone is served.
        assertEquals("b", policy.pick(List.of(head("b", 1, 1))).orElseThrow().tenant());
        // "a" comes back behind "b" with no credit from before: b finishes its turn (9 left), then a gets
        // one quantum's worth (10), not 19.
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            order.add(policy.pick(List.of(head("a", 2, 1), head("b", 1, 1))).orElseThrow().tenant());
        }
        List<String> expected = new ArrayList<>();
        expected.addAll(java.util.Collections.nCopies(9, "b"));
        expected.addAll(java.util.Collections.nCopies(10, "a"));
        expected.add("b");
        assertEquals(expected, order);
    }

    @Test
    void aLateTenantIsServedWithinOneRoundEvenBehindABacklog() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> 1);
        for (int i = 0; i < 50; i++) {
            assertEquals("burst", policy.pick(List.of(head("burst", 0, 1))).orElseThrow().tenant());
        }
        assertEquals("late", policy.pick(List.of(head("burst", 0, 1), head("late", 100, 1))).orElseThrow().tenant());
    }

    @Test
    void rejectsTwoHeadsOfOneTenantAndNonPositiveWeightsOrQuantum() {
        DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> 1);
        assertThrows(IllegalArgumentException.class, () -> policy.pick(List.of(head("a", 0, 1), head("a", 1, 1))));
        assertThrows(IllegalStateException.class, () -> new DeficitRoundRobinPolicy(1, t -> 0).pick(List.of(head("a", 0, 1))));
        assertThrows(IllegalArgumentException.class, () -> new DeficitRoundRobinPolicy(0, t -> 1));
    }

    @Test
    void busyTenantsWithEqualWeightNeverDriftMoreThanOneJobApart() {
        Random random = new Random(20261121L);
        for (int trial = 0; trial < 200; trial++) {
            DeficitRoundRobinPolicy policy = new DeficitRoundRobinPolicy(1, t -> 1);
            int tenants = 2 + random.nextInt(6);
            List<WaitingJob> heads = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                heads.add(head("t" + t, random.nextInt(1000), 1));
            }
            Map<String, Integer> served = new HashMap<>();
            int picks = 1 + random.nextInt(100);
            for (int i = 0; i < picks; i++) {
                served.merge(policy.pick(heads).orElseThrow().tenant(), 1, Integer::sum);
                int max = served.values().stream().max(Integer::compare).orElse(0);
                int min = served.size() < tenants ? 0 : served.values().stream().min(Integer::compare).orElse(0);
                assertTrue(max - min <= 1, "trial " + trial + " after " + (i + 1) + " picks: " + served);
            }
        }
    }
}
