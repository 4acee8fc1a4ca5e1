package io.stipple.gateway.rest.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One page of {@code GET /v1/jobs}, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
@Schema(name = "JobPage")
public record JobPage(List<JobResource> items, String nextCursor) {
}
