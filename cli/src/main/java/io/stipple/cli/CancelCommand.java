package io.stipple.cli;

import io.stipple.cli.api.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code stipple cancel ID}: asks the gateway to cancel a job (a running one stops between steps). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job.")
final class CancelCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "JOB_ID", description = "The job to cancel.")
    String id;

    @Override
    public Integer call() {
        Job job = api.client().cancel(id);
        api.result("cancel requested for " + job.id() + " (" + job.status() + ")");
        return ExitCodes.OK;
    }
}
