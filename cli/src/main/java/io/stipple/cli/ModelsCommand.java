package io.stipple.cli;

import io.stipple.cli.api.ModelEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code stipple models}: the model versions a job can name. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the model versions you can use.")
final class ModelsCommand implements Callable<Integer> {

    private static final String ROW = "%-40s  %-9s  %s%n";

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        List<ModelEntry> models = api.client().models(); // first: no table header above an error
        PrintWriter out = api.out();
        out.printf(ROW, "MODEL", "SOURCE", "FROM JOB");
        for (ModelEntry model : models) {
            out.printf(ROW, model.model(), model.source(), model.finetuneJobId() == null ? "" : model.finetuneJobId());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
