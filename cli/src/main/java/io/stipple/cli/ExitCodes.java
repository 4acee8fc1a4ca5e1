package io.stipple.cli;

/** What {@code stipple}'s exit status means (also in its --help footer). */
public final class ExitCodes {

    public static final int OK = 0;
    /** The job ended failed or canceled. */
    public static final int JOB_NOT_SUCCEEDED = 1;
    /** Wrong usage, or no API key anywhere (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The gateway refused the request (bad key, unknown job, invalid field...): its problem is printed. */
    public static final int API_ERROR = 3;
    /** The gateway could not be reached, or a transfer broke. */
    public static final int UNREACHABLE = 4;

    private ExitCodes() {
    }
}
