package io.stipple.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.e2e.fixtures.BrowserTools;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.stack.test.StippleStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console in headless Chromium against the gateway, scheduler and gpu-worker processes:
 * src/test/browser/console-flow.mjs enters a wrong and then the right key, submits the form, sees
 * the progress and the image, and finds it in the gallery and the job list. Screenshot:
 * target/console-flow.png. The test installs what it needs (BrowserTools).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class ConsoleBrowserTest {

    @Test
    void aPromptSubmittedInTheConsoleShowsProgressAndLandsInTheGallery() {
        Path chromium = BrowserTools.chromium();
        Path project = Path.of("src/test/browser").toAbsolutePath();
        Path work = BrowserTools.npmInstall(project, Path.of("target/browser-test").toAbsolutePath());
        Path screenshot = Path.of("target/console-flow.png").toAbsolutePath();
        GpuWorkers.get(); // the real worker renders the console's job
        E2eServices services = E2eServices.get();

        BrowserTools.Result run = BrowserTools.run(work, List.of("node", "console-flow.mjs"),
                Map.of("CONSOLE_URL", services.gateway().url() + "/console/", "API_KEY", E2eServices.GPU_API_KEY,
                        "CHROMIUM", chromium.toString(), "SCREENSHOT", screenshot.toString()));

        System.out.println(run.output());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("console flow passed"), run.output());
        assertTrue(Files.isRegularFile(screenshot), "a screenshot of the gallery");
    }
}
