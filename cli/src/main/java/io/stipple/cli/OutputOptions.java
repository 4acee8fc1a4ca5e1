package io.stipple.cli;

import io.stipple.cli.api.GatewayClient;
import io.stipple.cli.api.Job;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * What happens after a submission: print the job id and stop ({@code --no-wait}), or follow the job
 * to its end and download its images into {@code --out}. Job ids and file paths go to standard
 * output (for scripts), progress to standard error.
 */
final class OutputOptions {

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
            description = "Folder for the downloaded images (default: the current folder).")
    Path folder;

    @Option(names = "--no-wait", description = "Print the job id and return at once, without following the job.")
    boolean noWait;

    /** Follows the job and downloads its results, writing to {@code api}'s streams; answers the exit code. */
    int finish(ApiOptions api, GatewayClient client, Job submitted) {
        PrintWriter out = api.out();
        PrintWriter err = api.err();
        api.message("job " + submitted.id() + " " + submitted.status());
        if (noWait) {
            api.result(submitted.id());
            return ExitCodes.OK;
        }
        JobFollower follower = new JobFollower(client, err, System.console() != null);
        Job done = follower.follow(submitted);
        if (!"succeeded".equals(done.status())) {
            return JobFollower.reportUnsuccessful(done, err);
        }
        if (done.producedModel() != null) {
            out.println("model " + done.producedModel());
        }
        List<Path> files = follower.download(done, folder);
        files.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }
}
