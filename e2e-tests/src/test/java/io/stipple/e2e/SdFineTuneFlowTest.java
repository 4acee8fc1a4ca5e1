package io.stipple.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.Trainers;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.stack.test.StippleStackExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DreamBooth-LoRA on an imported Stable Diffusion base through the public API, with the trainer-kill
 * drill on its way (issue 20): the tiny SD 1.x pipeline of {@code test-fixtures/sd-tiny} is imported as a
 * diffusers folder (a zip), three renders of the built-in subject are uploaded, and {@code POST /v1/finetunes}
 * names the import as base, which the gateway resolves to LoRA with Stable Diffusion's defaults. Mid-training
 * the trainer process is killed and a new one started ({@link FineTuneFlowTest#killTrainerMidTrainingAndAwaitResume});
 * it resumes from the object-store checkpoint and registers the LoRA, which {@code GET /v1/models} lists and whose
 * files the job's outputs hand out: {@code lora.safetensors} in diffusers names and {@code lora_kohya.safetensors}
 * in kohya names with alphas. Generating through the API with {@code loras: [the fine-tune]} over the base
 * then gives the engine's own image with the downloaded LoRA file over the pipeline, which differs from
 * the base's image, while the base alone still gives the base's.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class SdFineTuneFlowTest {

    static final Path PIPELINE = Path.of("..", "test-fixtures", "sd-tiny", "tiny-sd-pipeline");
    /** Enough steps that the kill lands mid-training; the tiny pipeline trains a step in well under a second on a quiet machine. */
    static final int STEPS = 60;

    @Test
    void aFineTuneOfAnImportedPipelineSurvivesItsTrainersDeathAndGivesLoraFiles() throws Exception {
        Trainers trainers = Trainers.get();
        GpuWorkers.get();
        GatewayClient client = E2eServices.get().gpuClient();
        String version = UUID.randomUUID().toString().substring(0, 8); // model names are global; runs may share a stack
        GatewayClient.Answer imported = client.importModel("tiny-sd-pipeline.zip", zip(PIPELINE),
                Map.of("name", "e2e-sd-tiny", "version", version));
        assertEquals(202, imported.status(), imported.body());
        JobResults.awaitSucceeded(client, imported.json().path("id").asText(), FineTuneFlowTest.PATIENCE);
        String base = "e2e-sd-tiny@" + version;

        GatewayClient.Answer upload = client.upload(FineTuneFlowTest.subjectRenders());
        assertEquals(201, upload.status(), upload.body());
        GatewayClient.Answer accepted = client.submitFineTune("""
                {"base_model": "%s", "instance_upload_id": "%s", "class_noun": "star", "steps": %d,
                 "learning_rate": 0.001, "batch_size": 1, "seed": 5,
                 "prior_preservation": {"enabled": true, "num_class_images": 2}, "output_model_name": "e2e-sd-sks"}"""
                .formatted(base, upload.json().path("id").asText(), STEPS));
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("lora", accepted.json().path("input").path("method").asText(), accepted.body());
        assertEquals(4, accepted.json().path("input").path("lora_rank").asInt(), accepted.body());
        assertEquals(false, accepted.json().path("input").path("train_text_encoder").asBoolean(true), accepted.body());
        String job = accepted.json().path("id").asText();

        JsonNode done = FineTuneFlowTest.killTrainerMidTrainingAndAwaitResume(client, trainers, job, STEPS);

        String produced = done.path("produced_model").asText();
        assertEquals("e2e-sd-sks@" + job, produced, done.toString());
        GatewayClient.Answer models = client.get("/v1/models");
        List<String> listed = new ArrayList<>();
        models.json().forEach(m -> listed.add(m.path("model").asText()));
        assertTrue(listed.contains(produced), models.body());

        Map<String, String> links = new HashMap<>();
        done.path("outputs").forEach(o -> links.put(o.path("key").asText().substring(o.path("key").asText().lastIndexOf('/') + 1),
                o.path("url").asText()));
        assertTrue(links.keySet().containsAll(List.of("lora.safetensors", "lora_kohya.safetensors", "stipple-import.json")),
                links.keySet().toString());
        List<String> diffusers = tensorNames(client.download(links.get("lora.safetensors")));
        List<String> kohya = tensorNames(client.download(links.get("lora_kohya.safetensors")));
        assertTrue(!diffusers.isEmpty() && diffusers.stream().allMatch(n -> n.startsWith("unet.")
                && (n.endsWith(".lora.down.weight") || n.endsWith(".lora.up.weight"))), diffusers.toString());
        assertEquals(diffusers.size() / 2 * 3, kohya.size(), "kohya: down, up and alpha per adapted layer");
        assertTrue(kohya.stream().allMatch(n -> n.startsWith("lora_unet_")), kohya.toString());
        JsonNode record = GenerationFlowTest.JSON.readTree(client.download(links.get("stipple-import.json")));
        assertEquals("lora", record.path("format").asText(), record.toString());
        assertEquals(base, record.path("base_model").asText(), record.toString());

        String baseJob = SdImportAndGenerateTest.generate(client, base, "[]");
        String tunedJob = SdImportAndGenerateTest.generate(client, base,
                "[{\"model\": \"" + produced + "\", \"scale\": 1.0}]");
        Path loraFile = Files.createTempFile("e2e-sd-sks", ".safetensors");
        try {
            Files.write(loraFile, client.download(links.get("lora.safetensors")));
            try (DiffusionModel pipeline = DiffusionModels.open(PIPELINE); LoraFile lora = pipeline.openLora(loraFile);
                    DiffusionModel tuned = pipeline.withLoras(List.of(new ScaledLora(lora, 1.0)))) {
                float[] plain = SdImportAndGenerateTest.render(pipeline);
                float[] expected = SdImportAndGenerateTest.render(tuned);
                assertFalse(Arrays.equals(plain, expected), "the fine-tune's LoRA changes the image");
                assertArrayEquals(plain, SdImportAndGenerateTest.served(client, baseJob), "the base alone: the base's image");
                assertArrayEquals(expected, SdImportAndGenerateTest.served(client, tunedJob),
                        "the base with the fine-tune's LoRA: the engine's image with the downloaded file");
            }
        } finally {
            Files.deleteIfExists(loraFile);
        }
    }

    /** The tensor names of a safetensors file, from its JSON header (8-byte little-endian length, then the JSON). */
    private static List<String> tensorNames(byte[] file) throws IOException {
        long length = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = GenerationFlowTest.JSON.readTree(new String(file, 8, (int) length, StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(name -> {
            if (!name.equals("__metadata__")) {
                names.add(name);
            }
        });
        return names;
    }

    /** The pipeline folder as a zip, paths relative to it (model_index.json at the archive's root). */
    private static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
