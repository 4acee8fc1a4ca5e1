package io.stipple.cli.api;

import java.util.List;

/**
 * The gateway answered with an error: its RFC 9457 problem document, or the bare status when the
 * body was not one.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Problem problem;

    public ApiException(int status, Problem problem) {
        super(describe(status, problem));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem document, or null. */
    public Problem problem() {
        return problem;
    }

    private static String describe(int status, Problem problem) {
        if (problem == null) {
            return "the gateway answered HTTP " + status;
        }
        StringBuilder text = new StringBuilder();
        text.append(problem.title() == null ? "error" : problem.title());
        if (problem.detail() != null && !problem.detail().isBlank()) {
            text.append(": ").append(problem.detail());
        }
        text.append(" (HTTP ").append(status).append(')');
        List<Problem.FieldError> errors = problem.errors() == null ? List.of() : problem.errors();
        for (Problem.FieldError error : errors) {
            text.append(System.lineSeparator()).append("  ").append(error.field()).append(": ").append(error.message());
        }
        return text.toString();
    }
}
