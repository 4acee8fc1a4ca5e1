package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.Priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DispatchPlannerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static DispatchPlanner roundRobinPlanner() {
        return new DispatchPlanner(priority -> new DeficitRoundRobinPolicy(1, tenant -> 1));
    }

    private static WaitingJob job(String tenant, Priority priority, int secondsAfterT0) {
        return new WaitingJob(UUID.randomUUID(), tenant, priority, T0.plusSeconds(secondsAfterT0), 1);
    }

    private static List<String> tenants(List<WaitingJob> plan) {
        return plan.stream().map(WaitingJob::tenant).toList();
    }

    @Test
    void noFreeSlotsOrNoWorkPlansNothing() {
        assertTrue(roundRobinPlanner().plan(List.of(job("a", Priority.NORMAL, 0)), 0).isEmpty());
        assertTrue(roundRobinPlanner().plan(List.of(), 5).isEmpty());
    }

    @Test
    void aBurstOfOneTenantDoesNotStarveAnother() {
        List<WaitingJob> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiting.add(job("burst", Priority.NORMAL, i));
        }
        waiting.add(job("quiet", Priority.NORMAL, 1000));
        assertEquals(List.of("burst", "quiet", "burst", "burst"), tenants(roundRobinPlanner().plan(waiting, 4)));
    }

    @Test
    void higherClassesGoFirstWhateverTheirAge() {
        List<WaitingJob> waiting = List.of(
                job("a", Priority.LOW, 0),
                job("b", Priority.NORMAL, 1),
                job("c", Priority.HIGH, 2),
                job("d", Priority.HIGH, 3));
        List<WaitingJob> plan = roundRobinPlanner().plan(waiting, 4);
        assertEquals(List.of("c", "d", "b", "a"), tenants(plan));
        assertEquals(3, roundRobinPlanner().plan(waiting, 3).size());
        assertEquals(List.of("c", "d"), tenants(roundRobinPlanner().plan(waiting, 2)));
    }

    @Test
    void eachTenantsJobsGoOldestFirstWhateverTheInputOrder() {
        WaitingJob older = job("a", Priority.NORMAL, 1);
        WaitingJob newer = job("a", Priority.NORMAL, 2);
        assertEquals(List.of(older, newer), roundRobinPlanner().plan(List.of(newer, older), 2));
    }

    @Test
    void fairnessStateCarriesOverBetweenPlans() {
        DispatchPlanner planner = roundRobinPlanner();
        List<WaitingJob> waiting = List.of(job("a", Priority.NORMAL, 0), job("b", Priority.NORMAL, 1));
        // One slot per tick: the tenants alternate although "a" is always older.
        List<String> served = new ArrayList<>();
        for (int tick = 0; tick < 4; tick++) {
            served.addAll(tenants(planner.plan(waiting, 1)));
        }
        assertEquals(List.of("a", "b", "a", "b"), served);
    }

    @Test
    void aPolicyThatPicksSomethingElseThanAHeadIsABug() {
        WaitingJob stranger = job("x", Priority.NORMAL, 0);
        DispatchPlanner planner = new DispatchPlanner(priority -> heads -> Optional.of(stranger));
        assertThrows(IllegalStateException.class, () -> planner.plan(List.of(job("a", Priority.NORMAL, 0)), 1));
    }

    @Test
    void randomWorkloadsKeepEveryInvariant() {
        Random random = new Random(42L);
        for (int trial = 0; trial < 300; trial++) {
            List<WaitingJob> waiting = new ArrayList<>();
            int jobs = random.nextInt(40);
            for (int i = 0; i < jobs; i++) {
                Priority priority = Priority.values()[random.nextInt(Priority.values().length)];
                waiting.add(job("t" + random.nextInt(5), priority, random.nextInt(10_000)));
            }
            int slots = random.nextInt(50);
            List<WaitingJob> plan = roundRobinPlanner().plan(waiting, slots);

            assertEquals(Math.min(slots, jobs), plan.size(), "trial " + trial);
            assertEquals(plan.size(), new HashSet<>(plan).size(), "no job twice");
            assertTrue(waiting.containsAll(plan));
            Set<WaitingJob> left = new HashSet<>(waiting);
            plan.forEach(left::remove);
            for (WaitingJob picked : plan) {
                for (WaitingJob skipped : left) {
                    assertTrue(skipped.priority().compareTo(picked.priority()) <= 0,
                            "a " + skipped.priority() + " job waits while a " + picked.priority() + " one went");
                    if (skipped.tenant().equals(picked.tenant()) && skipped.priority() == picked.priority()) {
                        assertTrue(!skipped.queuedAt().isBefore(picked.queuedAt()), "tenant order broken");
                    }
                }
            }
            assertClassesInOrder(plan);
        }
    }

    private static void assertClassesInOrder(List<WaitingJob> plan) {
        Map<String, Instant> lastByTenantAndClass = new HashMap<>();
        for (int i = 1; i < plan.size(); i++) {
            assertTrue(plan.get(i - 1).priority().compareTo(plan.get(i).priority()) >= 0, "classes out of order");
        }
        for (WaitingJob job : plan) {
            Instant previous = lastByTenantAndClass.put(job.tenant() + job.priority(), job.queuedAt());
            assertTrue(previous == null || !previous.isAfter(job.queuedAt()), "tenant's jobs out of order");
        }
    }
}
