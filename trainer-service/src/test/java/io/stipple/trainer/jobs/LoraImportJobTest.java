package io.stipple.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.weights.SafetensorsWriter;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.imports.Archives;
import io.stipple.trainer.imports.ContentHash;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LoRA imports over the real stack (Kafka, Postgres, S3): the fixture's LoRA, in diffusers and in kohya
 * names, imported over the tiny SD folder (itself imported first, as a tenant would) is stored as
 * {@code models/{name}/{version}/lora.safetensors} with its record; hostile and mislabelled files, bases the
 * tenant cannot use and clashing names fail for good, naming what is wrong, and leave no row and no file.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LoraImportJobTest {

    private static final Path SD_TINY = Path.of("..", "test-fixtures", "sd-tiny");
    private static final Path DIFFUSERS_LORA = SD_TINY.resolve("lora-diffusers/pytorch_lora_weights.safetensors");
    private static final Path KOHYA_LORA = SD_TINY.resolve("lora_kohya.safetensors");
    private static final String TENANT = "lora-acme";
    private static final String BASE = "lora-base@1";
    /** One attention projection of the tiny U-Net: weight [32, 32]. */
    private static final String KOHYA_TO_Q = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
    private static boolean baseImported;

    @Inject
    ObjectStore store;

    @Inject
    ModelRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "stipple.trainer.bundled-models-dir")
    Path bundledModels;

    ImportJobs jobs;

    @BeforeEach
    void importTheBase() throws Exception {
        jobs = new ImportJobs(bootstrap, store, registry);
        if (!baseImported) {
            Path archive = Archives.tarGz(SD_TINY.resolve("tiny-sd-pipeline"), "tiny-sd",
                    Files.createTempDirectory("lora-base").resolve("tiny.tgz"));
            UUID base = jobs.submit(TENANT, archive, (key, bytes) -> new ModelImportSpec(ModelRef.parse(BASE),
                    ModelImportFormat.DIFFUSERS, key, bytes, null, null, null, null, null, null));
            ImportJobs.awaitTerminal(base, JobSucceeded.class);
            baseImported = true;
        }
    }

    private UUID importLora(String tenant, String model, String base, Path file) throws Exception {
        return jobs.submit(tenant, file, (key, bytes) -> lora(model, base, key, bytes));
    }

    private static ModelImportSpec lora(String model, String base, String key, long bytes) {
        return new ModelImportSpec(ModelRef.parse(model), ModelImportFormat.LORA, key, bytes, null, null, null,
                ModelRef.parse(base), null, null);
    }

    @Test
    void theFixtureLoraInEitherNamingIsStoredBoundToItsBase() throws Exception {
        for (Path file : List.of(DIFFUSERS_LORA, KOHYA_LORA)) {
            String name = file == KOHYA_LORA ? "style-kohya" : "style-diffusers";
            UUID jobId = importLora(TENANT, name + "@1", BASE, file);
            JobSucceeded done = ImportJobs.awaitTerminal(jobId, JobSucceeded.class);
            assertEquals(ModelRef.parse(name + "@1"), done.producedModel());
            assertEquals(List.of("fetch", "unpack", "validate", "store"), ImportJobs.eventsOf(jobId).stream()
                    .filter(JobProgress.class::isInstance).map(e -> ((JobProgress) e).progress().stage()).toList());

            ModelVersion row = registry.find(name, "1").orElseThrow();
            assertEquals("ready", row.state());
            assertEquals(TENANT, row.tenantId());
            assertEquals("import_lora", row.method());
            assertEquals(BASE, row.baseModel());
            // Stored as given, beside its record and nothing else.
            assertEquals(List.of(ObjectKeys.model(name, "1", "lora.safetensors"), ObjectKeys.model(name, "1", ImportedModel.RECORD_FILE)),
                    store.list(ObjectKeys.modelPrefix(name, "1")).stream().map(ObjectInfo::key).sorted().toList());
            assertArrayEquals(Files.readAllBytes(file), store.get(ObjectKeys.model(name, "1", "lora.safetensors")));

            JsonNode record = new ObjectMapper().readTree(store.get(ObjectKeys.model(name, "1", ImportedModel.RECORD_FILE)));
            assertEquals(record, new ObjectMapper().readTree(row.card()), "the row's card is the stored record");
            Path folder = Files.createTempDirectory("lora-hash");
            Files.copy(file, folder.resolve("lora.safetensors"));
            ContentHash.Summary content = ContentHash.of(folder);
            assertEquals("lora", record.get("format").asText());
            assertEquals("stable_diffusion", record.get("family").asText());
            JsonNode baseRecord = new ObjectMapper().readTree(registry.find("lora-base", "1").orElseThrow().card());
            assertEquals(baseRecord.path("variant"), record.path("variant"), "the base's variant (none for the tiny widths)");
            assertEquals(BASE, record.get("base_model").asText());
            assertEquals(content.sha256(), record.get("content_sha256").asText());
            assertEquals(content.bytes(), record.get("size_bytes").asLong());
            assertEquals(68, record.get("target_layers").asInt(), "48 U-Net and 20 text-encoder layers");
            assertEquals(4, record.get("rank").asInt());
        }

        // A LoRA cannot be a base; its own base can.
        UUID onLora = importLora(TENANT, "stacked@1", "style-kohya@1", KOHYA_LORA);
        ImportJobs.assertReason(onLora, "base model style-kohya@1 is a LoRA itself (import_lora); name the model it adapts, "
                + BASE);
        jobs.assertNothingRegistered("stacked", "1");
    }

    @Test
    void aSingleFileBaseIsCheckedFromItsHeader() throws Exception {
        // The tiny text encoder's 32 channels are 4 heads of 8, stated as a user would.
        UUID single = jobs.submit(TENANT, SD_TINY.resolve("tiny-sd-a1111.safetensors"), (key, bytes) -> new ModelImportSpec(
                ModelRef.parse("lora-single@1"), ModelImportFormat.SINGLE_FILE, key, bytes, null, null, 4, null, null, null));
        ImportJobs.awaitTerminal(single, JobSucceeded.class);

        UUID onSingle = importLora(TENANT, "single-style@1", "lora-single@1", KOHYA_LORA);
        ImportJobs.awaitTerminal(onSingle, JobSucceeded.class);
        JsonNode record = new ObjectMapper().readTree(registry.find("single-style", "1").orElseThrow().card());
        assertEquals("lora-single@1", record.get("base_model").asText());
        assertEquals("sd1", record.get("variant").asText(), "the single file's inferred variant");
        assertEquals(68, record.get("target_layers").asInt());

        Path dir = Files.createTempDirectory("lora-single");
        Path wide = SafetensorsWriter.write(dir.resolve("wide.safetensors"), Map.of(
                KOHYA_TO_Q + ".lora_down.weight", new SafetensorsWriter.Tensor(new long[] {4, 320}, new float[4 * 320]),
                KOHYA_TO_Q + ".lora_up.weight", new SafetensorsWriter.Tensor(new long[] {320, 4}, new float[320 * 4])));
        ImportJobs.assertReason(importLora(TENANT, "single-style@2", "lora-single@1", wide),
                "attn1.to_q does not fit its base weight [32, 32]");
        jobs.assertNothingRegistered("single-style", "2");
    }

    @Test
    void hostileFilesFailForGoodAndLeaveNothing() throws Exception {
        Path dir = Files.createTempDirectory("lora-hostile");
        byte[] whole = Files.readAllBytes(KOHYA_LORA);
        Path truncated = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(whole, whole.length - 1000));
        Path lying = Files.write(dir.resolve("lying.safetensors"), widenFirstShape(whole));
        Path wide = SafetensorsWriter.write(dir.resolve("wide.safetensors"), Map.of(
                KOHYA_TO_Q + ".lora_down.weight", new SafetensorsWriter.Tensor(new long[] {4, 320}, new float[4 * 320]),
                KOHYA_TO_Q + ".lora_up.weight", new SafetensorsWriter.Tensor(new long[] {320, 4}, new float[320 * 4])));
        Path noUp = SafetensorsWriter.write(dir.resolve("half.safetensors"), Map.of(
                KOHYA_TO_Q + ".lora_down.weight", new SafetensorsWriter.Tensor(new long[] {4, 32}, new float[4 * 32])));
        float[] poisoned = new float[32 * 4];
        poisoned[5] = Float.NaN;
        Path nan = SafetensorsWriter.write(dir.resolve("nan.safetensors"), Map.of(
                KOHYA_TO_Q + ".lora_down.weight", new SafetensorsWriter.Tensor(new long[] {4, 32}, new float[4 * 32]),
                KOHYA_TO_Q + ".lora_up.weight", new SafetensorsWriter.Tensor(new long[] {32, 4}, poisoned)));

        UUID cut = importLora(TENANT, "hostile@cut", BASE, truncated);
        UUID lies = importLora(TENANT, "hostile@lying", BASE, lying);
        UUID misfit = importLora(TENANT, "hostile@wide", BASE, wide);
        UUID half = importLora(TENANT, "hostile@half", BASE, noUp);
        UUID notANumber = importLora(TENANT, "hostile@nan", BASE, nan);
        UUID checkpoint = importLora(TENANT, "hostile@checkpoint", BASE, SD_TINY.resolve("tiny-sd-a1111.safetensors"));
        UUID huge = jobs.submit(TENANT, KOHYA_LORA, (key, bytes) -> lora("hostile@huge", BASE, key, (1L << 30) + 1));
        UUID clash = importLora(TENANT, BASE, BASE, KOHYA_LORA);

        ImportJobs.assertReason(cut, "the file is no LoRA of base model " + BASE + ": lora.safetensors: tensor '");
        ImportJobs.assertReason(cut, "end past the data region, which holds 76072 bytes (is the file truncated?)");
        ImportJobs.assertReason(lies, "lora_te_text_model_encoder_layers_0_self_attn_k_proj.lora_down.weight': F32 x shape"
                + " [44, 32] is 5632 bytes but data_offsets [4, 516] span 512");
        ImportJobs.assertReason(misfit, "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q does not fit its base"
                + " weight [32, 32]");
        ImportJobs.assertReason(half, "has no up (B) matrix");
        ImportJobs.assertReason(notANumber, "the LoRA matrix " + KOHYA_TO_Q + ".lora_up.weight holds NaN at element 5");
        ImportJobs.assertReason(checkpoint, "name no layer of the base");
        ImportJobs.assertReason(huge, "LoRA imports accept at most 1073741824");
        ImportJobs.assertReason(clash, "model version " + BASE + " is already registered");
        for (String version : List.of("cut", "lying", "wide", "half", "nan", "checkpoint", "huge")) {
            jobs.assertNothingRegistered("hostile", version);
        }
        assertEquals("ready", registry.find("lora-base", "1").orElseThrow().state(), "the clash left the base as it was");
    }

    @Test
    void aBaseTheTenantCannotUseIsRefusedAlikeWhoeverHasIt() throws Exception {
        UUID unknown = importLora("lora-globex", "theirs@1", "nobody@1", KOHYA_LORA);
        UUID others = importLora("lora-globex", "theirs@2", BASE, KOHYA_LORA);
        // The tests' bundled folder is empty: a version folder there is a bundled model to the trainer.
        Files.createDirectories(bundledModels.resolve("stipple-bundled").resolve("6"));
        UUID bundled = importLora("lora-globex", "theirs@3", "stipple-bundled@6", KOHYA_LORA);

        JobFailed unknownFailed = ImportJobs.assertReason(unknown, "unknown base model nobody@1");
        JobFailed othersFailed = ImportJobs.awaitTerminal(others, JobFailed.class);
        // Tenant acme's base gets exactly the answer a base nobody has gets.
        assertEquals(unknownFailed.reason().replace("nobody@1", BASE), othersFailed.reason());
        assertEquals(unknownFailed.retryable(), othersFailed.retryable());
        ImportJobs.assertReason(bundled, "base model stipple-bundled@6 is a bundled Stipple model");
        for (String version : List.of("1", "2", "3")) {
            jobs.assertNothingRegistered("theirs", version);
        }
    }

    /** The file with its first tensor's shape doubled in the header, its offsets left as they were. */
    private static byte[] widenFirstShape(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) in.getLong();
        String header = new String(file, 8, headerLength, StandardCharsets.UTF_8);
        String lying = header.replaceFirst("\"shape\":\\[(\\d+),", "\"shape\":[$1$1,");
        if (lying.equals(header)) {
            throw new IllegalStateException("no shape to widen in " + header.substring(0, 200));
        }
        byte[] json = lying.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + file.length - 8 - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(file, 8 + headerLength, file.length - 8 - headerLength);
        return out.array();
    }
}
