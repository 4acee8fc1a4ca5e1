package io.stipple.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated tenant of the current request; set by {@link ApiKeyFilter}. */
@RequestScoped
public class Caller {

    private String tenantId;
    private Integer maxActiveJobs;

    void authenticate(String tenantId, Integer maxActiveJobs) {
        this.tenantId = tenantId;
        this.maxActiveJobs = maxActiveJobs;
    }

    public String tenantId() {
        if (tenantId == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return tenantId;
    }

    /** The tenant's own concurrent-job limit, or null for the configured default. */
    public Integer maxActiveJobs() {
        return maxActiveJobs;
    }
}
