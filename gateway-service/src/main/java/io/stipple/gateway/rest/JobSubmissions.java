package io.stipple.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.service.SubmissionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.function.BiFunction;

/**
 * What every job-submitting endpoint does once it has a resolved spec: check the
 * Idempotency-Key's shape, run the spec's database checks, submit for the calling tenant and
 * answer 202.
 */
@ApplicationScoped
public class JobSubmissions {

    private final Caller caller;
    private final SubmissionService submissions;
    private final JobResponses responses;
    private final RequestHashes hashes;

    public JobSubmissions(Caller caller, SubmissionService submissions, JobResponses responses, RequestHashes hashes) {
        this.caller = caller;
        this.submissions = submissions;
        this.responses = responses;
        this.hashes = hashes;
    }

    /**
     * @param request the request body as received (its hash identifies it for Idempotency-Key replays)
     * @param checks  the spec's checks that need the database, given the tenant id
     */
    public <S extends JobSpec> Uni<Response> submit(Object request, S spec, String idempotencyKey,
            BiFunction<String, S, Uni<Void>> checks) {
        String key = IdempotencyKeys.check(idempotencyKey);
        String tenant = caller.tenantId();
        Integer limit = caller.maxActiveJobs();
        return checks.apply(tenant, spec)
                // Only a keyed request can be replayed, so only its body is fingerprinted.
                .chain(() -> submissions.submit(tenant, limit, spec, key, key == null ? null : hashes.of(request)))
                .map(responses::accepted);
    }
}
