package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.e2e.fixtures.Trainers;
import io.stipple.stack.test.StippleStackExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DreamBooth fine-tune through the public API with the real trainer-service process, and the
 * trainer-kill drill (issue 10) on its way: three renders of the built-in subject are uploaded and
 * {@code POST /v1/finetunes} trains a LoRA version of the bundled base. Mid-training the trainer
 * process is killed (SIGKILL) and a new one, with an empty work folder, is started: the scheduler
 * re-dispatches the job when its lease runs out, the new trainer resumes from the last checkpoint
 * in the object store and finishes, and {@code GET /v1/models} lists the new version. Then the same
 * tenant names the version in a generation, which the real gpu-worker ({@link GpuWorkers}) renders
 * over the base with the version's adapters: the subject in a context it was never trained in.
 *
 * <p>Tenant {@value E2eServices#GPU_TENANT} submits both jobs: its generations go to the real
 * gpu-worker (tenant {@value E2eServices#TENANT}'s go to the contract test worker), and fine-tunes
 * of every tenant go to the trainer.
 *
 * <p>The instance images in {@code src/test/resources/subject/} are the engine's
 * {@code Subject.instances(3)} rendered at 16 px (the base's resolution).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class FineTuneFlowTest {

    static final Duration PATIENCE = Duration.ofMinutes(10);
    /**
     * Enough steps that the kill lands mid-training on a quick machine too (0.1-1 s a step here); with
     * rank 4 at 1e-3 (the documented LoRA setting) the version keeps to the asked context, where
     * 1e-2 drowned the base in noise.
     */
    static final int STEPS = 120;
    static final Pattern RESUMED = Pattern.compile("resumed at step (\\d+)");
    static final String BASE = "stipple-base-16@3";
    /** A context none of the three instance renders shows (they are drawn in the bottom, bottom right and center, on gray). */
    static final String NEW_CONTEXT = "a sks star in the top left on a white background";
    static final long SEED = 21;

    @Test
    void aFineTuneWhoseTrainerIsKilledResumesOnANewTrainerAndItsVersionIsListed() throws Exception {
        GpuWorkers workers = GpuWorkers.get();
        Trainers trainers = Trainers.get();
        GatewayClient client = workers.client();
        GatewayClient.Answer upload = client.upload(subjectRenders());
        assertEquals(201, upload.status(), upload.body());
        GatewayClient.Answer accepted = client.submitFineTune("""
                {"base_model": "%s", "instance_upload_id": "%s", "class_noun": "star",
                 "method": "lora", "lora_rank": 4, "steps": %d, "learning_rate": 0.001, "batch_size": 1, "seed": 5,
                 "prior_preservation": {"enabled": true, "num_class_images": 2}, "output_model_name": "e2e-sks"}"""
                .formatted(BASE, upload.json().path("id").asText(), STEPS));
        assertEquals(202, accepted.status(), accepted.body());
        String job = accepted.json().path("id").asText();

        JsonNode done = killTrainerMidTrainingAndAwaitResume(client, trainers, job, STEPS);

        String version = done.path("produced_model").asText();
        assertEquals("e2e-sks@" + job, version, done.toString());
        GatewayClient.Answer models = client.get("/v1/models");
        assertEquals(200, models.status(), models.body());
        List<String> listed = new ArrayList<>();
        models.json().forEach(m -> listed.add(m.path("name").asText() + "@" + m.path("version").asText()));
        assertTrue(listed.contains(version), models.body());

        // The version in a new context, rendered by the real gpu-worker, against the base for the same prompt and seed.
        byte[] tuned = render(client, version);
        byte[] base = render(client, BASE);
        JsonNode parameters = GenerationFlowTest.JSON.readTree(GenerationFlowTest.pngText(tuned).get("stipple.parameters"));
        assertEquals(version, parameters.path("model").asText(), parameters.toString());
        assertFalse(Arrays.equals(tuned, base), "the version's adapters change what the base draws");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(tuned));
        assertEquals(16, image.getWidth());
        assertEquals(16, image.getHeight());
        assertContext(image);
    }

    /**
     * The trainer-kill drill on a running fine-tune: once a step past the first checkpoint is reported, the
     * trainer is killed (SIGKILL) and a new one with an empty work folder started; the job must succeed on a
     * later attempt that resumed from a checkpoint of the killed trainer (its log's "resumed at step n"), once,
     * with no duplicate. Returns the finished job.
     */
    static JsonNode killTrainerMidTrainingAndAwaitResume(GatewayClient client, Trainers trainers, String job, int steps)
            throws InterruptedException {
        // A checkpoint is in the object store once the step after it is reported.
        int every = Trainers.CHECKPOINT_EVERY;
        JsonNode training = await("training past step " + every).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> job(client, job), j -> "training".equals(j.path("progress").path("stage").asText())
                        && j.path("progress").path("step").asInt() > every);
        int reached = training.path("progress").path("step").asInt();
        String killed = trainers.current().name();
        trainers.kill();
        trainers.start();

        JsonNode done = await("job " + job + " ends").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> job(client, job), j -> Set.of("succeeded", "failed", "canceled").contains(j.path("status").asText()));
        Matcher resumed = RESUMED.matcher(String.join("\n", trainers.current().logTail(100_000)));
        String resumedAt = resumed.find() ? resumed.group(1) : "none";
        DrillReport report = JobTally.tally("trainer-kill", client, List.of(UUID.fromString(job)), Duration.ofSeconds(30),
                "%s killed after step %d of %d; attempt %d on %s resumed at step %s".formatted(killed, reached, steps,
                        done.path("attempt").asInt(), trainers.current().name(), resumedAt)).print();
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(1, report.completed(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertTrue(done.path("attempt").asInt() >= 2, "a second attempt ran: " + done);
        assertTrue(!resumedAt.equals("none") && Integer.parseInt(resumedAt) >= every && Integer.parseInt(resumedAt) < steps,
                "the new trainer resumed from a checkpoint of the killed one, not from step 0: " + report.line());
        return done;
    }

    private static byte[] render(GatewayClient client, String model) {
        String id = JobResults.submit(client, """
                {"prompt": "%s", "model": "%s", "num_images": 1, "seed": %d}""".formatted(NEW_CONTEXT, model, SEED));
        JsonNode done = JobResults.awaitSucceeded(client, id, PATIENCE);
        return client.download(done.path("outputs").get(0).path("url").asText());
    }

    /**
     * The asked context, read from the pixels: the image's border (its median, per channel: the star
     * covers a few border pixels at most) is the white background (0.96 in every channel), and the
     * pixels that differ from it lie in the top left. A fine-tune that broke the base (too high a
     * learning rate: noise everywhere, a tinted background) fails both.
     */
    private static void assertContext(BufferedImage image) {
        double[] background = borderMedian(image);
        for (double channel : background) {
            assertTrue(channel > 0.8, "white background asked, the border is " + Arrays.toString(background));
        }
        double sumX = 0;
        double sumY = 0;
        int foreground = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                double[] rgb = rgb(image.getRGB(x, y));
                double distance = Math.abs(rgb[0] - background[0]) + Math.abs(rgb[1] - background[1]) + Math.abs(rgb[2] - background[2]);
                if (distance > 0.3) {
                    sumX += x;
                    sumY += y;
                    foreground++;
                }
            }
        }
        assertTrue(foreground >= 4, "a star was drawn: " + foreground + " pixels off the background");
        double centreX = sumX / foreground;
        double centreY = sumY / foreground;
        assertTrue(centreX < 8 && centreY < 8, "the star is in the top left: its pixels' centre is (%.1f, %.1f) of 16 x 16"
                .formatted(centreX, centreY));
    }

    private static double[] borderMedian(BufferedImage image) {
        int last = image.getWidth() - 1;
        List<double[]> border = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            border.add(rgb(image.getRGB(i, 0)));
            border.add(rgb(image.getRGB(i, last)));
            border.add(rgb(image.getRGB(0, i)));
            border.add(rgb(image.getRGB(last, i)));
        }
        double[] median = new double[3];
        for (int c = 0; c < 3; c++) {
            int channel = c;
            median[c] = border.stream().mapToDouble(p -> p[channel]).sorted().toArray()[border.size() / 2];
        }
        return median;
    }

    private static double[] rgb(int argb) {
        return new double[] {((argb >> 16) & 0xff) / 255.0, ((argb >> 8) & 0xff) / 255.0, (argb & 0xff) / 255.0};
    }

    static JsonNode job(GatewayClient client, String id) {
        GatewayClient.Answer shown = client.get("/v1/jobs/" + id);
        assertEquals(200, shown.status(), shown.body());
        return shown.json();
    }

    static List<GatewayClient.UploadFile> subjectRenders() throws IOException {
        List<GatewayClient.UploadFile> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (InputStream in = FineTuneFlowTest.class.getResourceAsStream("/subject/instance-" + i + ".png")) {
                files.add(new GatewayClient.UploadFile("instance-" + i + ".png", in.readAllBytes(), "image/png"));
            }
        }
        return files;
    }
}
