package io.stipple.scheduler.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shares one dispatch transaction's batch among the slot groups of a kind: one job per group in turn, in the
 * groups' order, until the batch is full or every group has what it can take. So a group with a long backlog
 * does not hold the others back until it has drained; the planners then choose each group's jobs. Pure.
 */
public final class BatchShare {

    private BatchShare() {
    }

    /**
     * @param wanted    per group, how many jobs it could dispatch now (its free slots, at most its waiting jobs)
     * @param batchSize most jobs in the batch, at least 1
     * @return per group of {@code wanted} (same order), how many of its jobs go into this batch; the sum is at
     *         most {@code batchSize} and no group gets more than it wanted
     */
    public static <G> Map<G, Integer> share(Map<G, Integer> wanted, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch takes at least 1 job, not " + batchSize);
        }
        Map<G, Integer> shares = new LinkedHashMap<>();
        wanted.keySet().forEach(group -> shares.put(group, 0));
        int left = batchSize;
        boolean gave = true;
        while (left > 0 && gave) {
            gave = false;
            for (Map.Entry<G, Integer> group : wanted.entrySet()) {
                if (left > 0 && shares.get(group.getKey()) < group.getValue()) {
                    shares.merge(group.getKey(), 1, Integer::sum);
                    left--;
                    gave = true;
                }
            }
        }
        return shares;
    }
}
