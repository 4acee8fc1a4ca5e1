package io.stipple.cli;

import io.stipple.cli.api.Job;
import io.stipple.cli.api.JobPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code stipple jobs}: the tenant's jobs, newest first, one per line. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List your jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

    private static final String ROW = "%-36s  %-10s  %-10s  %-20s  %s%n";

    @Mixin
    ApiOptions api;

    @Option(names = "--status", description = "Only jobs in this state: submitted, queued, running, succeeded, failed, canceled.")
    String status;

    @Option(names = "--kind", description = "generation or finetune.")
    String kind;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many (1-100, default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        JobPage page = api.client().jobs(status, kind, limit, null);
        PrintWriter out = api.out();
        out.printf(ROW, "ID", "KIND", "STATUS", "CREATED", "WHAT");
        for (Job job : page.items()) {
            out.printf(ROW, job.id(), job.kind(), job.status() + (job.cancelRequested() && !job.finished() ? "*" : ""),
                    job.createdAt() == null ? "" : job.createdAt().substring(0, Math.min(19, job.createdAt().length())),
                    describe(job));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The prompt of a generation, the class and model name of a fine-tune. */
    static String describe(Job job) {
        if (job.input() == null) {
            return "";
        }
        String text = job.input().hasNonNull("prompt") ? job.input().get("prompt").asText()
                : job.input().path("class_noun").asText("") + " -> " + job.input().path("output_model_name").asText("");
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
