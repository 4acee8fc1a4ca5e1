package io.stipple.scheduler.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** The RFC 9457 problem documents of a refused operator request ({@link AdminTokenFilter}). */
final class AdminProblems {

    static final String PROBLEM_JSON = "application/problem+json";

    /** {@code type}, {@code title}, {@code status}, {@code detail}, as the gateway's problems. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail) {
    }

    private AdminProblems() {
    }

    static Response unauthorized(String detail) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stipple-admin\"")
                .type(PROBLEM_JSON)
                .entity(new Problem("urn:stipple:problem:unauthorized", "Unauthorized", 401, detail))
                .build();
    }

    static Response disabled() {
        return Response.status(Response.Status.FORBIDDEN)
                .type(PROBLEM_JSON)
                .entity(new Problem("urn:stipple:problem:admin-disabled", "Admin endpoints are off", 403,
                        "no stipple.admin.token (STIPPLE_ADMIN_TOKEN) is set, so /admin/* answers nobody"))
                .build();
    }
}
