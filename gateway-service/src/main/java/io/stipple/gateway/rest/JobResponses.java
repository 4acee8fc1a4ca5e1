package io.stipple.gateway.rest;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.service.Submission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.UUID;


/** The HTTP answer to an accepted job: 202, the job, and where to follow it. */
@ApplicationScoped
public class JobResponses {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final JobResourceMapper mapper;
    private final String publicBase;

    public JobResponses(JobResourceMapper mapper, GatewayConfig config) {
        this.mapper = mapper;
        this.publicBase = config.publicBaseUrl().map(u -> u.toString().replaceAll("/+$", "")).orElse("");
    }

    public Response accepted(Submission submission) {
        JobRow job = submission.job();
        // A new job's spec is in hand: no need to parse back what was just serialised.
        JobResource resource = submission.spec() != null ? mapper.toResource(job, submission.spec()) : mapper.toResource(job);
        return accepted(job.id(), resource).header(REPLAYED_HEADER, submission.replayed()).build();
    }

    public Response.ResponseBuilder accepted(JobRow job) {
        return accepted(job.id(), mapper.toResource(job));
    }

    private Response.ResponseBuilder accepted(UUID id, JobResource resource) {
        // Set as a header: Response.location() would resolve a path against the request's Host header.
        return Response.accepted(resource).header(HttpHeaders.LOCATION, publicBase + "/v1/jobs/" + id);
    }
}
