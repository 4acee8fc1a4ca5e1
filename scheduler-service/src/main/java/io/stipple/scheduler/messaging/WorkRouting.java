package io.stipple.scheduler.messaging;

import io.stipple.contracts.Topics;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which topic a work item goes to when it is not the kind's shared one: the generation work of a
 * tenant assigned to a worker pool ({@code scheduler.dispatch.tenant-pools}) goes to that pool's
 * topic. Fine-tune work is not pooled.
 */
@ApplicationScoped
public class WorkRouting {

    private final Map<String, String> poolTopicByTenant = new TreeMap<>();

    @Inject
    WorkRouting(SchedulerConfig config) {
        this(config.dispatch().tenantPools());
    }

    public WorkRouting(Map<String, String> tenantPools) {
        // Topics.generationPool rejects a bad pool name here, at start, not at the first dispatch.
        tenantPools.forEach((tenant, pool) -> poolTopicByTenant.put(tenant, Topics.generationPool(pool)));
    }

    /** The pool topic of this work item, or empty for the kind's shared topic. */
    public Optional<String> poolTopic(Object workItem) {
        if (workItem instanceof GenerationWorkItem generation) {
            return Optional.ofNullable(poolTopicByTenant.get(generation.tenantId()));
        }
        return Optional.empty();
    }
}
