package io.stipple.scheduler.messaging;

import io.stipple.contracts.Topics;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.work.LeasedWorkItem;
import io.stipple.scheduler.policy.DispatchSlots;
import io.stipple.scheduler.policy.SlotGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Which topic a work item goes to when it is not the kind's shared one: its {@link SlotGroup}'s
 * pool topic. {@link DispatchSlots} alone decides which tenants' work is pooled (generation work of
 * a tenant in {@code scheduler.dispatch.tenant-pools}), so a job is always published where the
 * slots it was counted against are.
 */
@ApplicationScoped
public class WorkRouting {

    private final DispatchSlots slots;

    @Inject
    public WorkRouting(DispatchSlots slots) {
        this.slots = slots;
        // Topics.generationPool rejects a bad pool name here, at start, not at the first dispatch.
        slots.groups(JobKind.GENERATION).stream().filter(SlotGroup::pooled).forEach(group -> Topics.generationPool(group.pool()));
    }

    /** The pool topic of this work item, or empty for the kind's shared topic. */
    public Optional<String> poolTopic(LeasedWorkItem workItem) {
        SlotGroup group = slots.groupOf(workItem.kind(), workItem.tenantId());
        return group.pooled() ? Optional.of(Topics.generationPool(group.pool())) : Optional.empty();
    }
}
