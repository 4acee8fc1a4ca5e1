package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.PredictionType;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.rest.problem.ApiProblem;

/**
 * The form fields of {@code POST /v1/models/imports}, parsed and checked (each failure a 422 naming
 * its field). Also what identifies the request for Idempotency-Key replays, with the file's SHA-256.
 *
 * @param model             {@code name@version} to register; version {@code 1} when none is given
 * @param format            what the file holds; by default a {@code .safetensors} file name means a single file,
 *                          anything else a diffusers archive
 * @param predictionType    for a single file; null = epsilon
 * @param nativeResolution  for a single file; null = 512
 * @param textEncoderHeads  for a single file whose text encoder does not have 64-channel heads; null = inferred
 * @param baseModel         the model a LoRA file adapts
 * @param fileSha256        SHA-256 of the uploaded file, hex
 */
public record ModelImportForm(ModelRef model, ModelImportFormat format, PredictionType predictionType,
        Integer nativeResolution, Integer textEncoderHeads, ModelRef baseModel, String fileSha256) {

    /** Multiples of 8 (the VAE's factor) up to the engine's largest side. */
    private static final int MAX_RESOLUTION = 2048;

    public static ModelImportForm parse(String name, String version, String format, String fileName,
            String predictionType, String nativeResolution, String textEncoderHeads, String baseModel, String fileSha256) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.invalidField("name", "is required: the name the model is registered under");
        }
        ModelRef model = ref("name", () -> new ModelRef(name, version == null || version.isBlank() ? "1" : version));
        ModelImportFormat kind = format == null || format.isBlank()
                ? fileName != null && fileName.endsWith(".safetensors") ? ModelImportFormat.SINGLE_FILE : ModelImportFormat.DIFFUSERS
                : wire(ModelImportFormat.class, "format", format);
        PredictionType prediction = predictionType == null || predictionType.isBlank() ? null
                : wire(PredictionType.class, "prediction_type", predictionType);
        Integer resolution = number("native_resolution", nativeResolution, 64, MAX_RESOLUTION);
        if (resolution != null && resolution % 8 != 0) {
            throw ApiProblem.invalidField("native_resolution", "must be a multiple of 8, got " + resolution);
        }
        Integer heads = number("text_encoder_heads", textEncoderHeads, 1, 64);
        ModelRef base = baseModel == null || baseModel.isBlank() ? null : ref("base_model", () -> ModelRef.parse(baseModel));
        if (kind == ModelImportFormat.LORA && base == null) {
            throw ApiProblem.invalidField("base_model", "is required for a LoRA file: the model it adapts, name@version");
        }
        if (kind != ModelImportFormat.LORA && base != null) {
            throw ApiProblem.invalidField("base_model", "is only for format lora");
        }
        if (kind != ModelImportFormat.SINGLE_FILE && (prediction != null || resolution != null || heads != null)) {
            throw ApiProblem.invalidField(prediction != null ? "prediction_type" : resolution != null ? "native_resolution"
                    : "text_encoder_heads", "is only for format single_file (a diffusers folder's configs say it)");
        }
        return new ModelImportForm(model, kind, prediction, resolution, heads, base, fileSha256);
    }

    public ModelImportForm withFileSha256(String sha256) {
        return new ModelImportForm(model, format, predictionType, nativeResolution, textEncoderHeads, baseModel, sha256);
    }

    private static ModelRef ref(String field, java.util.function.Supplier<ModelRef> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField(field, e.getMessage());
        }
    }

    private static <E extends Enum<E>> E wire(Class<E> type, String field, String value) {
        try {
            return WireNames.parse(type, value);
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                names.append(names.isEmpty() ? "" : ", ").append(WireNames.of(constant));
            }
            throw ApiProblem.invalidField(field, "must be one of " + names + ", got \"" + value + "\"");
        }
    }

    private static Integer number(String field, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw ApiProblem.invalidField(field, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField(field, "must be a whole number, got \"" + value + "\"");
        }
    }
}
