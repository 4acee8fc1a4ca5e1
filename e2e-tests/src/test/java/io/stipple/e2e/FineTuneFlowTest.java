package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.e2e.fixtures.Trainers;
import io.stipple.stack.test.StippleStackExtension;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DreamBooth fine-tune through the public API with the real trainer-service process, and the
 * trainer-kill drill (issue 10) on its way: three renders of the built-in subject are uploaded and
 * {@code POST /v1/finetunes} trains a LoRA version of the bundled base. Mid-training the trainer
 * process is killed (SIGKILL) and a new one, with an empty work folder, is started: the scheduler
 * re-dispatches the job when its lease runs out, the new trainer resumes from the last checkpoint
 * in the object store and finishes, and {@code GET /v1/models} lists the new version.
 *
 * <p>The instance images in {@code src/test/resources/subject/} are the engine's
 * {@code Subject.instances(3)} rendered at 16 px (the base's resolution).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class FineTuneFlowTest {

    static final Duration PATIENCE = Duration.ofMinutes(10);
    /** Enough steps that the kill lands mid-training on a quick machine too (0.1-1 s a step here). */
    static final int STEPS = 120;
    static final Pattern RESUMED = Pattern.compile("resumed at step (\\d+)");

    @Test
    void aFineTuneWhoseTrainerIsKilledResumesOnANewTrainerAndItsVersionIsListed() throws Exception {
        Trainers trainers = Trainers.get();
        GatewayClient client = E2eServices.get().client();
        GatewayClient.Answer upload = client.upload(subjectRenders());
        assertEquals(201, upload.status(), upload.body());
        GatewayClient.Answer accepted = client.submitFineTune("""
                {"base_model": "stipple-base-16@2", "instance_upload_id": "%s", "class_noun": "star",
                 "method": "lora", "lora_rank": 2, "steps": %d, "learning_rate": 0.01, "batch_size": 1, "seed": 5,
                 "prior_preservation": {"enabled": true, "num_class_images": 2}, "output_model_name": "e2e-sks"}"""
                .formatted(upload.json().path("id").asText(), STEPS));
        assertEquals(202, accepted.status(), accepted.body());
        String job = accepted.json().path("id").asText();

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
                "%s killed after step %d of %d; attempt %d on %s resumed at step %s".formatted(killed, reached, STEPS,
                        done.path("attempt").asInt(), trainers.current().name(), resumedAt)).print();
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(1, report.completed(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertTrue(done.path("attempt").asInt() >= 2, "a second attempt ran: " + done);
        assertTrue(!resumedAt.equals("none") && Integer.parseInt(resumedAt) >= every && Integer.parseInt(resumedAt) < STEPS,
                "the new trainer resumed from a checkpoint of the killed one, not from step 0: " + report.line());

        String version = done.path("produced_model").asText();
        assertEquals("e2e-sks@" + job, version, done.toString());
        GatewayClient.Answer models = client.get("/v1/models");
        assertEquals(200, models.status(), models.body());
        List<String> listed = new ArrayList<>();
        models.json().forEach(m -> listed.add(m.path("name").asText() + "@" + m.path("version").asText()));
        assertTrue(listed.contains(version), models.body());
    }

    private static JsonNode job(GatewayClient client, String id) {
        GatewayClient.Answer shown = client.get("/v1/jobs/" + id);
        assertEquals(200, shown.status(), shown.body());
        return shown.json();
    }

    private static List<GatewayClient.UploadFile> subjectRenders() throws IOException {
        List<GatewayClient.UploadFile> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (InputStream in = FineTuneFlowTest.class.getResourceAsStream("/subject/instance-" + i + ".png")) {
                files.add(new GatewayClient.UploadFile("instance-" + i + ".png", in.readAllBytes(), "image/png"));
            }
        }
        return files;
    }
}
