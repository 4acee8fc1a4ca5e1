package io.stipple.e2e;

import io.stipple.cli.ExitCodes;
import io.stipple.cli.StippleCli;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.stack.test.StippleStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user CLI ({@code stipple ...}, module cli) run in-process against the gateway, scheduler and
 * gpu-worker processes (tenant {@value E2eServices#GPU_TENANT}): files downloaded, progress shown, exit codes and error messages.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class CliTest {

    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @TempDir
    Path folder;

    /** Exit code and both streams of one {@code stipple} run. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }

    /** As tenant {@value E2eServices#GPU_TENANT}, whose jobs the real gpu-worker renders. */
    static Run stipple(String... args) {
        GpuWorkers.get();
        return stippleWithKey(E2eServices.GPU_API_KEY, args);
    }

    static Run stippleWithKey(String key, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--api-url", E2eServices.get().gateway().url(), "--api-key", key));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StippleCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void generateFollowsTheJobWithAProgressBarAndDownloadsEveryImage() throws IOException {
        Run run = stipple("generate", "a large red circle in the center on a white background",
                "--seed", "5", "-n", "2", "--steps", "8", "-o", folder.toString());

        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertTrue(run.err().contains("base") && run.err().contains("8/8"), () -> "a finished base-stage bar\n" + run);
        assertTrue(run.err().contains("succeeded"), run::toString);
        List<Path> files = run.out().lines().map(Path::of).toList();
        assertEquals(2, files.size(), run::toString);
        for (Path file : files) {
            assertEquals(folder, file.getParent(), run::toString);
            assertTrue(file.getFileName().toString().endsWith(".png"), file.toString());
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, file + " is not a readable image");
            assertEquals(16, image.getWidth(), "the bundled base model renders 16x16");
        }
        assertTrue(!Arrays.equals(Files.readAllBytes(files.get(0)), Files.readAllBytes(files.get(1))),
                "two images of one job differ (each its own noise)");

        String jobId = id(files.get(0).getFileName().toString());
        Run jobs = stipple("jobs", "--status", "succeeded");
        assertEquals(ExitCodes.OK, jobs.exitCode(), jobs::toString);
        assertTrue(jobs.out().lines().anyMatch(l -> l.startsWith(jobId) && l.contains("a large red circle")), jobs::toString);
    }

    @Test
    void demoWritesOnePngUpscaledByTheSuperResolutionStage() throws IOException {
        Path target = folder.resolve("demo.png");
        Run run = stipple("demo", "-o", target.toString(), "--ready-timeout", "60");

        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertEquals(target.toAbsolutePath().toString(), run.out().trim(), run::toString);
        BufferedImage image = ImageIO.read(target.toFile());
        assertNotNull(image, "demo.png is a readable image");
        assertEquals(32, image.getWidth(), () -> "x2 upscaling doubles the 16x16 base render\n" + run);
        try (var left = Files.list(folder)) {
            assertEquals(List.of(target), left.toList(), "no temporary files left beside the PNG");
        }
    }

    @Test
    void aWrongApiKeyIsRefusedWithTheGatewaysReasonAndExitCode3() {
        Run run = stippleWithKey("stp_0000000e2e01_not-the-key", "generate", "a red star", "-o", folder.toString());

        assertEquals(ExitCodes.API_ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().contains("the API key is not valid") && run.err().contains("HTTP 401"), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    @Test
    void cancellingAnUnknownJobSaysNotFound() {
        Run run = stipple("cancel", UUID.randomUUID().toString());

        assertEquals(ExitCodes.API_ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().contains("HTTP 404"), run::toString);
    }

    @Test
    void invalidOptionsComeBackAsTheFieldsTheGatewayNames() {
        Run run = stipple("generate", "a red star", "--steps", "0", "-o", folder.toString());

        assertEquals(ExitCodes.API_ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().contains("HTTP 422") && run.err().contains("steps:"), run::toString);
    }

    @Test
    void modelsListsTheBundledBaseModel() {
        Run run = stipple("models");

        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("stipple-base-16@6") && l.contains("bundled")), run::toString);
    }

    @Test
    void finetuneUploadsTheInstanceImagesAndSubmitsAJobThatCanBeCanceled() throws IOException {
        List<String> images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xff0000);
            Path file = folder.resolve("instance-" + i + ".png");
            ImageIO.write(image, "png", file.toFile());
            images.add(file.toString());
        }
        List<String> args = new ArrayList<>(List.of("finetune", "--class-noun", "star", "--name", "my-star", "--steps", "5",
                "--no-wait"));
        args.addAll(images);
        Run submitted = stipple(args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, submitted.exitCode(), submitted::toString);
        assertTrue(submitted.err().contains("uploaded 3 images"), submitted::toString);
        String jobId = submitted.out().trim();
        assertTrue(UUID_TEXT.matcher(jobId).matches(), submitted::toString);

        Run listed = stipple("jobs", "--kind", "finetune");
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(jobId) && l.contains("star -> my-star")), listed::toString);

        // Whether the job still waits in the queue or a trainer of another test class has taken it, cancel stops it.
        Run canceled = stipple("cancel", jobId);
        assertEquals(ExitCodes.OK, canceled.exitCode(), canceled::toString);
        assertTrue(canceled.out().contains("cancel requested for " + jobId), canceled::toString);
        await("job " + jobId + " canceled").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stipple("jobs", "--kind", "finetune", "--status", "canceled").out().lines()
                        .anyMatch(l -> l.startsWith(jobId)));
    }

    private static String id(String text) {
        Matcher matcher = UUID_TEXT.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group();
    }
}
