package io.stipple.gateway.rest;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.service.Submission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;


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
        return accepted(submission.job()).header(REPLAYED_HEADER, submission.replayed()).build();
    }

    public Response.ResponseBuilder accepted(JobRow job) {
        // Set as a header: Response.location() would resolve a path against the request's Host header.
        return Response.accepted(mapper.toResource(job)).header(HttpHeaders.LOCATION, publicBase + "/v1/jobs/" + job.id());
    }
}
