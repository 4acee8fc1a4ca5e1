package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.repository.JobFilter;
import io.stipple.gateway.repository.JobRepository;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.service.rejection.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Reads of a tenant's jobs; another tenant's job is indistinguishable from a missing one. */
@ApplicationScoped
public class JobQueries {

    private final JobRepository jobs;

    public JobQueries(JobRepository jobs) {
        this.jobs = jobs;
    }

    public Uni<JobRow> get(String tenantId, UUID id) {
        return jobs.find(tenantId, id).map(row -> {
            if (row == null) {
                throw new ResourceNotFoundException("job " + id);
            }
            return row;
        });
    }

    /** Fetches one row more than asked, to know whether there is a next page. */
    public Uni<List<JobRow>> page(String tenantId, JobFilter filter, int limit) {
        return jobs.list(tenantId, filter, limit + 1);
    }
}
