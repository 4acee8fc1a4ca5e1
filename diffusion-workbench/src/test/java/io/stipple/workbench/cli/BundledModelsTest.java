package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command that defaults to a bundled base or classifier model defaults to the same one. */
class BundledModelsTest {

    @Test
    void everyCommandDefaultsToTheOneBundledBaseAndClassifier() {
        List<String> checked = new ArrayList<>();
        visit(new CommandLine(new StippleCli()), checked);
        // generate, eval, benchmark (+ efficiency, cfg, profile), bench-batching, eval-sr, dreambooth train/eval
        assertTrue(checked.size() >= 10, checked.toString());
    }

    private static void visit(CommandLine command, List<String> checked) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            String value = option.defaultValue();
            String where = command.getCommandSpec().qualifiedName() + " " + option.longestName();
            if (value != null && value.startsWith("models/stipple-base-")) {
                assertEquals(BundledModels.BASE, value, where);
                checked.add(where);
            } else if (value != null && value.startsWith("models/stipple-classifier-")) {
                assertEquals(BundledModels.CLASSIFIER, value, where);
            }
        }
        command.getSubcommands().values().forEach(sub -> visit(sub, checked));
    }
}
