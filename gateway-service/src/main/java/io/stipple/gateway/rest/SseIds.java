package io.stipple.gateway.rest;

import io.stipple.gateway.rest.problem.ApiProblem;

/** SSE event ids are the job log's row ids; Last-Event-ID says where a reconnecting client stopped. */
final class SseIds {

    private SseIds() {
    }

    /** The id after which to resume; 0 (from the start) when the header is absent. */
    static long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(lastEventId.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("Last-Event-ID", "must be an event id this stream sent");
        }
    }
}
