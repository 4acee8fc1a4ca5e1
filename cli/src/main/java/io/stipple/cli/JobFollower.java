package io.stipple.cli;

import io.stipple.cli.api.GatewayClient;
import io.stipple.cli.api.Job;
import io.stipple.cli.api.JobEvent;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Follows a submitted job to its end with a progress view; its final state and results come with the last event. */
final class JobFollower {

    private final GatewayClient client;
    private final PrintWriter progressOut;
    private final boolean redraw;

    JobFollower(GatewayClient client, PrintWriter progressOut, boolean redraw) {
        this.client = client;
        this.progressOut = progressOut;
        this.redraw = redraw;
    }

    /** Blocks until the job has ended; answers it as the gateway shows it then. */
    Job follow(Job submitted) {
        ProgressView view = new ProgressView(progressOut, redraw);
        JobEvent terminal = client.follow(submitted.id(), view::show);
        // An older gateway's terminal event has no job: ask for it.
        return terminal.job() != null ? terminal.job() : client.job(submitted.id());
    }

    /**
     * Downloads every image of a finished job into {@code folder} as {@code <job id>-<index>.<ext>}
     * (the object key's file name), answering the files written.
     */
    List<Path> download(Job job, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        for (Job.Output output : job.outputs()) {
            if (output.url() == null || output.contentType() == null || !output.contentType().startsWith("image/")) {
                continue;
            }
            String name = output.key().substring(output.key().lastIndexOf('/') + 1);
            Path target = folder.resolve(job.id() + "-" + name);
            client.download(output.url(), target);
            written.add(target);
        }
        return written;
    }

    /** The exit code and a line saying how a job ended that did not succeed. */
    static int reportUnsuccessful(Job job, PrintWriter err) {
        String reason = job.error() == null ? "" : ": " + job.error().reason();
        err.println("job " + job.id() + " " + job.status() + reason);
        err.flush();
        return ExitCodes.JOB_NOT_SUCCEEDED;
    }
}
