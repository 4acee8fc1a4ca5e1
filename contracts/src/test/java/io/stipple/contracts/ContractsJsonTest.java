package io.stipple.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.status.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractsJsonTest {

    static List<Object> messages() {
        return SampleMessages.all();
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageSurvivesARoundTrip(Object message) {
        byte[] json = ContractsJson.write(message);
        assertEquals(message, ContractsJson.read(json, message.getClass()));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageCarriesTheEnvelopeInSnakeCase(Object message) throws Exception {
        JsonNode node = ContractsJson.mapper().readTree(ContractsJson.write(message));
        assertEquals("1.3", node.get("schema_version").asText());
        assertEquals(SampleMessages.JOB.toString(), node.get("job_id").asText());
        assertEquals("acme", node.get("tenant_id").asText());
        assertTrue(node.has("attempt") && node.has("sequence"), node::toString);
        assertEquals("2026-11-21T23:00:00.123456Z", node.get("timestamp").asText());
    }

    @Test
    void requestsAndEventsAreReadThroughTheirSealedInterface() {
        for (Object message : SampleMessages.all()) {
            byte[] json = ContractsJson.write(message);
            if (message instanceof JobRequest) {
                assertEquals(message, ContractsJson.read(json, JobRequest.class));
            } else if (message instanceof JobEvent) {
                assertEquals(message, ContractsJson.read(json, JobEvent.class));
            }
        }
    }

    @Test
    void specUsesSnakeCaseLowerCaseEnumsAndModelStrings() throws Exception {
        JsonNode node = ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.all().get(0)));
        assertEquals("job_submitted", node.get("type").asText());
        JsonNode spec = node.get("spec");
        assertEquals("generation", spec.get("kind").asText());
        assertEquals("blurry", spec.get("negative_prompt").asText());
        assertEquals("euler_ancestral", spec.get("sampler").asText());
        assertEquals("trailing", spec.get("sampler_settings").get("timestep_spacing").asText());
        assertTrue(spec.get("sampler_settings").get("karras_sigmas").asBoolean());
        assertEquals("x4", spec.get("upscale").asText());
        assertEquals("stipple-base@1", spec.get("model").asText());
        assertEquals("high", spec.get("priority").asText());
        assertEquals(0.995, spec.get("thresholding").get("ratio").asDouble());
        assertEquals("up_123", spec.get("init_image").get("upload_id").asText());
        assertEquals(7.5, spec.get("guidance_scale").asDouble());
        assertEquals("ink-style@2", spec.get("loras").get(0).get("model").asText());
        assertEquals(-0.5, spec.get("loras").get(1).get("scale").asDouble());
    }

    /** A spec of schema 1.1 has no loras: read as none, and one without any is written without surprises. */
    @Test
    void lorasAreOptionalAndEmptyByDefault() throws Exception {
        ObjectNode spec = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.generationSpec()));
        spec.remove("loras");
        assertEquals(List.of(), ContractsJson.read(spec.toString(), GenerationSpec.class).loras());
        spec.putNull("loras");
        assertEquals(List.of(), ContractsJson.read(spec.toString(), GenerationSpec.class).loras());
    }

    /** A success of schema 1.2 names no final step (its worker sent it as a progress event): read as none. */
    @Test
    void aSuccessWithoutItsFinalStepReadsAsNone() throws Exception {
        JobSucceeded withStep = SampleMessages.all().stream().filter(JobSucceeded.class::isInstance)
                .map(JobSucceeded.class::cast).filter(s -> s.progress() != null).findFirst().orElseThrow();
        ObjectNode node = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(withStep));
        assertEquals(300, node.get("progress").get("step").asInt());
        node.remove("progress");
        node.put("schema_version", "1.2");
        JobSucceeded older = (JobSucceeded) ContractsJson.read(node.toString(), JobEvent.class);
        assertEquals(null, older.progress());
        assertEquals(withStep.outputs(), older.outputs());
    }

    @Test
    void lorasAreBoundedNamedOnceAndScaledWithinLimits() throws Exception {
        ObjectNode spec = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.generationSpec()));
        var loras = spec.putArray("loras");
        for (int i = 0; i <= GenerationSpec.MAX_LORAS; i++) {
            loras.addObject().put("model", "style-" + i + "@1").put("scale", 1.0);
        }
        MalformedMessageException tooMany = assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(spec.toString(), GenerationSpec.class));
        assertTrue(tooMany.getMessage().contains("at most 8 loras, got 9"), tooMany.getMessage());

        loras.removeAll();
        loras.addObject().put("model", "style@1").put("scale", 1.0);
        loras.addObject().put("model", "style@1").put("scale", 0.5);
        MalformedMessageException twice = assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(spec.toString(), GenerationSpec.class));
        assertTrue(twice.getMessage().contains("loras[1].model names style@1 a second time"), twice.getMessage());

        loras.removeAll();
        loras.addObject().put("model", "style@1").put("scale", 4.5);
        MalformedMessageException tooStrong = assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(spec.toString(), GenerationSpec.class));
        assertTrue(tooStrong.getMessage().contains("scale must lie in [-4.0, 4.0], got 4.5"), tooStrong.getMessage());
    }

    @Test
    void fineTuneSpecIsReadAsItsKind() {
        JobSubmitted submitted = (JobSubmitted) SampleMessages.all().get(1);
        JobRequest read = ContractsJson.read(ContractsJson.write(submitted), JobRequest.class);
        FineTuneSpec spec = assertInstanceOf(FineTuneSpec.class, ((JobSubmitted) read).spec());
        assertEquals("a sks star", spec.instancePrompt());
        assertEquals(8, spec.loraRank());
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
        ObjectNode node = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.all().get(0)));
        node.put("added_in_1_3", "whatever");
        ((ObjectNode) node.get("spec")).putObject("new_knob").put("x", 1);
        node.put("schema_version", "1.3");
        JobSubmitted read = ContractsJson.read(node.toString(), JobSubmitted.class);
        assertEquals(SampleMessages.generationSpec(), read.spec());
        assertEquals(new SchemaVersion(1, 3), read.schemaVersion());
    }

    @Test
    void aNewerMajorVersionIsRejectedClearly() throws Exception {
        ObjectNode node = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.all().get(7)));
        node.put("schema_version", "2.0");
        UnsupportedSchemaVersionException e = assertThrows(UnsupportedSchemaVersionException.class,
                () -> ContractsJson.read(node.toString(), JobEvent.class));
        assertTrue(e.getMessage().contains("JobProgress has schema_version 2.0"), e.getMessage());
        assertTrue(e.getMessage().contains("major version 1"), e.getMessage());
    }

    @Test
    void aMissingSchemaVersionIsRejected() throws Exception {
        ObjectNode node = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(SampleMessages.all().get(2)));
        node.remove("schema_version");
        UnsupportedSchemaVersionException e = assertThrows(UnsupportedSchemaVersionException.class,
                () -> ContractsJson.read(node.toString(), CancelRequested.class));
        assertTrue(e.getMessage().contains("schema_version is missing"), e.getMessage());
    }

    @Test
    void wrongTypesAndUnknownEnumValuesAreErrorsNotGuesses() throws Exception {
        String good = new String(ContractsJson.write(SampleMessages.generationSpec()), java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(good.replace("\"steps\":30", "\"steps\":\"30\""), GenerationSpec.class));
        assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(good.replace("\"steps\":30", "\"steps\":30.5"), GenerationSpec.class));
        assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(good.replace("\"euler_ancestral\"", "\"plms\""), GenerationSpec.class));
        assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(good.replace("\"stipple-base@1\"", "\"stipple-base\""), GenerationSpec.class));
        assertThrows(MalformedMessageException.class,
                () -> ContractsJson.read(good.replace("\"a red star", "12, \"x\":\"a red star"), GenerationSpec.class));
        assertEquals(SampleMessages.generationSpec(), ContractsJson.read(good, GenerationSpec.class));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> ContractsJson.read(
                "{\"type\":\"progress\",\"schema_version\":\"1.0\",\"job_id\":\"" + SampleMessages.JOB
                        + "\",\"tenant_id\":\"acme\",\"attempt\":1,\"sequence\":2,\"timestamp\":\"2026-11-21T23:00:00Z\"}",
                JobEvent.class));
        assertTrue(e.getMessage().contains("worker_id is required"), e.getMessage());
    }

    @Test
    void newerIsDecidedByAttemptThenSequence() {
        JobProgress progress = (JobProgress) SampleMessages.all().get(7); // attempt 1, sequence 2
        assertTrue(progress.isNewerThan(0, 99));
        assertTrue(progress.isNewerThan(1, 1));
        assertFalse(progress.isNewerThan(1, 2));
        assertFalse(progress.isNewerThan(2, 0));
        JobStatus status = (JobStatus) SampleMessages.all().get(12);
        assertFalse(status.isNewerThan(status.attempt(), status.sequence()));
    }
}
