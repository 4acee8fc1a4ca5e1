package io.stipple.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outbox rows this process is sending right after their writer's commit ({@link AfterCommitSender}), from
 * just after that commit until the row is marked sent (or its send has failed and says so). The relay's rounds
 * leave them alone, and a row written to follow one of them waits for it here.
 */
@ApplicationScoped
public class InFlightRows {

    /** Each row being sent, with what to run once it is done (the rows that follow it). */
    private final Map<Long, List<Runnable>> rows = new ConcurrentHashMap<>();

    void add(long id) {
        rows.put(id, new ArrayList<>(0));
    }

    /** The ids being sent now, for a claim to skip. */
    Long[] ids() {
        return rows.keySet().toArray(Long[]::new);
    }

    /**
     * Runs {@code then} once the row is done, if it is in flight now; false if it is not (sent, failed, or
     * sent by another replica or by the relay), then nothing is run.
     */
    boolean whenDone(long id, Runnable then) {
        return rows.computeIfPresent(id, (key, waiting) -> {
            waiting.add(then);
            return waiting;
        }) != null;
    }

    /** The row is marked sent or failed: it is the relay's again, and whatever waited for it runs. */
    void done(long id) {
        List<Runnable> waiting = rows.remove(id);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }
}
