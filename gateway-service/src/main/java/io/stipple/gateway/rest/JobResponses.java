package io.stipple.gateway.rest;

import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.service.Submission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** The HTTP answer to an accepted job: 202, the job, and where to follow it. */
@ApplicationScoped
public class JobResponses {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final JobResourceMapper mapper;

    public JobResponses(JobResourceMapper mapper) {
        this.mapper = mapper;
    }

    public Response accepted(Submission submission) {
        return accepted(submission.job()).header(REPLAYED_HEADER, submission.replayed()).build();
    }

    public Response.ResponseBuilder accepted(JobRow job) {
        return Response.accepted(mapper.toResource(job)).location(URI.create("/v1/jobs/" + job.id()));
    }
}
