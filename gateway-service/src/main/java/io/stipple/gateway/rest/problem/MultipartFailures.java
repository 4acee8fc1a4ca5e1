package io.stipple.gateway.rest.problem;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises what Quarkus REST's multipart parser throws for a broken body (a body cut before its
 * closing boundary, more parts than allowed) as the client's fault: it throws plain IOExceptions and
 * RuntimeExceptions, which would otherwise be answered as 500s and logged as failures of the service.
 */
final class MultipartFailures {

    private static final String PARSER_PACKAGE = "org.jboss.resteasy.reactive.server.core.multipart.";
    private static final Pattern PART_LIMIT = Pattern.compile("Param limit of (\\d+) was exceeded");

    private MultipartFailures() {
    }

    /** The problem for a failure of the multipart parser, or null if the failure came from elsewhere. */
    static ApiProblem problemFor(Throwable failure) {
        boolean fromParser = Arrays.stream(failure.getStackTrace()).limit(8)
                .anyMatch(frame -> frame.getClassName().startsWith(PARSER_PACKAGE));
        if (!fromParser) {
            return null;
        }
        Matcher limit = PART_LIMIT.matcher(String.valueOf(failure.getMessage()));
        if (limit.find()) {
            return ApiProblem.payloadTooLarge("a multipart body may have at most " + limit.group(1)
                    + " parts (files and form fields together)");
        }
        return ApiProblem.malformedMultipart("the multipart body cannot be read: " + failure.getMessage()
                + " (is the closing boundary missing?)");
    }
}
