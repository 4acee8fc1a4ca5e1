package io.stipple.gateway.service;

import io.stipple.contracts.event.JobOutput;
import io.stipple.gateway.rest.model.ResultLink;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives clients links to job outputs. Until the object-store module is wired in, outputs are
 * listed by key without a URL (see the gateway report: presigned URLs are pending).
 */
@ApplicationScoped
public class ResultLinks {

    public ResultLink link(JobOutput output) {
        return new ResultLink(output.key(), output.contentType(), output.sizeBytes(), output.metadata(), null, null);
    }
}
