package io.stipple.cli.api;

import java.util.List;

/** One page of {@code GET /v1/jobs}, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> items, String nextCursor) {
}
