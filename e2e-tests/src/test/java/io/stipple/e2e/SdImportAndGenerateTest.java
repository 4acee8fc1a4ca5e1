package io.stipple.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.Trainers;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.engine.sd.SingleFileOptions;
import io.stipple.engine.sd.StableDiffusionModel;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.sd.singlefile.StatedConfig;
import io.stipple.stack.test.StippleStackExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant's own Stable Diffusion models through the public API, on the real services (gateway, scheduler,
 * trainer-service, gpu-worker): the tiny SD fixture's diffusers folder (as a zip), its single-file checkpoint
 * and its LoRA in both file formats are imported with {@code POST /v1/models/imports}; then one generation
 * with each (the LoRAs stacked over the imported folder by {@code loras}) runs through gateway, scheduler and
 * gpu-worker, and every image equals, pixel for pixel, what the engine renders in-process from the fixture
 * files for the same request and seed.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class SdImportAndGenerateTest {

    static final Duration PATIENCE = Duration.ofMinutes(8);
    static final Path SD_TINY = Path.of("..", "test-fixtures", "sd-tiny");
    static final Path PIPELINE = SD_TINY.resolve("tiny-sd-pipeline");
    static final Path SINGLE_FILE = SD_TINY.resolve("tiny-sd-a1111.safetensors");
    static final Path KOHYA = SD_TINY.resolve("lora_kohya.safetensors");
    static final Path PEFT = SD_TINY.resolve("lora-diffusers/pytorch_lora_weights.safetensors");
    /** What the single file cannot say, stated on import: 4 text-encoder heads; 128 px keeps the run short. */
    static final int SINGLE_FILE_SIDE = 128;
    static final int HEADS = 4;
    static final String PROMPT = "a photo of a cat";
    static final long SEED = 11;
    static final int STEPS = 3;
    static final double GUIDANCE = 3.0;

    @Test
    void importedFolderSingleFileAndLorasGenerateTheEnginesImages() throws Exception {
        GpuWorkers workers = GpuWorkers.get();
        Trainers.get();
        GatewayClient client = workers.client();

        imported(client, "pipeline.zip", zip(PIPELINE), Map.of("name", "e2e-tiny-sd", "format", "diffusers"));
        imported(client, "tiny.safetensors", Files.readAllBytes(SINGLE_FILE), Map.of("name", "e2e-tiny-single",
                "native_resolution", Integer.toString(SINGLE_FILE_SIDE), "text_encoder_heads", Integer.toString(HEADS)));
        imported(client, "ink_kohya.safetensors", Files.readAllBytes(KOHYA), Map.of("name", "e2e-ink-kohya",
                "format", "lora", "base_model", "e2e-tiny-sd@1"));
        imported(client, "pytorch_lora_weights.safetensors", Files.readAllBytes(PEFT), Map.of("name", "e2e-ink-peft",
                "format", "lora", "base_model", "e2e-tiny-sd@1"));

        String folderJob = generate(client, "e2e-tiny-sd@1", "[]");
        String singleJob = generate(client, "e2e-tiny-single@1", "[]");
        String kohyaJob = generate(client, "e2e-tiny-sd@1", "[{\"model\": \"e2e-ink-kohya@1\", \"scale\": 1.0}]");
        String peftJob = generate(client, "e2e-tiny-sd@1", "[{\"model\": \"e2e-ink-peft@1\", \"scale\": 0.5}]");

        try (DiffusionModel folder = DiffusionModels.open(PIPELINE); LoraFile kohya = folder.openLora(KOHYA);
                LoraFile peft = folder.openLora(PEFT)) {
            float[] plain = render(folder);
            assertArrayEquals(plain, served(client, folderJob), "the imported folder: the engine's image");
            try (DiffusionModel view = folder.withLoras(List.of(new ScaledLora(kohya, 1.0)))) {
                float[] expected = render(view);
                assertFalse(java.util.Arrays.equals(plain, expected), "the LoRA changes the image");
                assertArrayEquals(expected, served(client, kohyaJob), "kohya LoRA at 1.0: the engine's image");
            }
            try (DiffusionModel view = folder.withLoras(List.of(new ScaledLora(peft, 0.5)))) {
                assertArrayEquals(render(view), served(client, peftJob), "diffusers LoRA at 0.5: the engine's image");
            }
        }
        SingleFileOptions stated = new SingleFileOptions(new StatedConfig("epsilon", HEADS, -1, SINGLE_FILE_SIDE),
                PIPELINE.resolve("tokenizer"));
        try (DiffusionModel single = StableDiffusionModel.loadSingleFile(SINGLE_FILE, stated, null)) {
            assertArrayEquals(render(single), served(client, singleJob), "the imported single file: the engine's image");
        }
    }

    /** Imports through the API and waits for the import job to succeed. */
    private static void imported(GatewayClient client, String fileName, byte[] file, Map<String, String> fields) {
        GatewayClient.Answer accepted = client.importModel(fileName, file, new LinkedHashMap<>(fields));
        assertEquals(202, accepted.status(), accepted.body());
        JobResults.awaitSucceeded(client, accepted.json().path("id").asText(), PATIENCE);
    }

    static String generate(GatewayClient client, String model, String loras) {
        return JobResults.submit(client, """
                {"prompt": "%s", "model": "%s", "loras": %s, "seed": %d, "sampler": "ddim", "steps": %d,
                 "guidance_scale": %s}""".formatted(PROMPT, model, loras, SEED, STEPS, GUIDANCE));
    }

    /** The job's image as the gateway serves it (its presigned URL), decoded. */
    static float[] served(GatewayClient client, String job) throws IOException {
        JsonNode done = JobResults.awaitSucceeded(client, job, PATIENCE);
        return PngCodec.decode(client.download(done.path("outputs").get(0).path("url").asText())).image().pixels();
    }

    /** The same request in the engine: what the gateway resolves it to (no scheduler setting stated). */
    static float[] render(DiffusionModel model) throws IOException {
        GenerationRequest request = new GenerationRequest(PROMPT, "", 1, SEED, SamplerChoice.DDIM, STEPS,
                GuidanceSettings.scale(GUIDANCE).withRescale(0.0), Map.of());
        byte[] png = new GenerationPipeline(model).generate(request, StepListener.NONE).get(0).png();
        return PngCodec.decode(png).image().pixels();
    }

    /** The folder as a zip with one top-level folder, as a user packs it. */
    private static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry("tiny-sd/" + folder.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
