package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.JobKind;
import java.util.Objects;

/**
 * Where dispatched work of a kind goes, and so whose capacity it uses: the kind's shared work topic
 * ({@code pool} null), or one worker pool's topic. Each group has its own in-flight limit
 * ({@link DispatchSlots}).
 */
public record SlotGroup(JobKind kind, String pool) {

    public SlotGroup {
        Objects.requireNonNull(kind, "kind");
    }

    public static SlotGroup shared(JobKind kind) {
        return new SlotGroup(kind, null);
    }

    public static SlotGroup pool(JobKind kind, String pool) {
        return new SlotGroup(kind, Objects.requireNonNull(pool, "pool"));
    }

    public boolean pooled() {
        return pool != null;
    }

    @Override
    public String toString() {
        return kind + (pooled() ? " pool " + pool : " shared");
    }
}
