package io.stipple.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchShareTest {

    @Test
    void everyGroupGetsWhatItWantsWhenTheBatchHoldsIt() {
        assertEquals(Map.of("shared", 2, "pool-a", 3), BatchShare.share(ordered("shared", 2, "pool-a", 3), 5));
    }

    @Test
    void aFullBatchIsSharedInTurnsSoALongBacklogDoesNotHoldTheOthersBack() {
        assertEquals(Map.of("shared", 3, "pool-a", 2, "pool-b", 2),
                BatchShare.share(ordered("shared", 100, "pool-a", 2, "pool-b", 40), 7));
    }

    @Test
    void whatAGroupCannotTakeGoesToTheOthers() {
        assertEquals(Map.of("shared", 0, "pool-a", 4), BatchShare.share(ordered("shared", 0, "pool-a", 9), 4));
    }

    @Test
    void aBatchOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BatchShare.share(ordered("shared", 1), 0));
    }

    private static Map<String, Integer> ordered(Object... groupsAndCounts) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (int i = 0; i < groupsAndCounts.length; i += 2) {
            wanted.put((String) groupsAndCounts[i], (Integer) groupsAndCounts[i + 1]);
        }
        return wanted;
    }
}
