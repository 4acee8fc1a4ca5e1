package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.OutputFormat;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.Upscale;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

import static io.stipple.gateway.rest.model.GenerationDefaults.*;

/**
 * Body of {@code POST /v1/generations}. Every field but {@code prompt} is optional; absent fields
 * take the documented default. Unknown fields are rejected (see
 * {@code ContractsJsonCustomizer}) so that a misspelt option is an error, not silently ignored.
 */
@Schema(name = "GenerationRequest", description = "A text-to-image, image-to-image or inpainting job.")
public record GenerationRequest(
        @NotBlank @Size(max = MAX_PROMPT_CHARS)
        @Schema(required = true, description = "What to render.", examples = "a red star on a blue background")
        String prompt,

        @Size(max = MAX_PROMPT_CHARS)
        @Schema(description = "What to steer away from.", defaultValue = "")
        String negativePrompt,

        @Min(1) @Max(MAX_NUM_IMAGES)
        @Schema(description = "Images to generate; image i is the same whatever the count.", defaultValue = NUM_IMAGES)
        Integer numImages,

        @PositiveOrZero
        @Schema(description = "Seed of every random draw; chosen by the server (and returned in input) when absent.")
        Long seed,

        @Schema(description = "Sampling algorithm.", defaultValue = SAMPLER)
        Sampler sampler,

        @Valid
        @Schema(description = "Settings of the sampler.")
        SamplerSettingsRequest samplerSettings,

        @Min(1) @Max(MAX_STEPS)
        @Schema(description = "Denoising steps of the base stage.", defaultValue = STEPS)
        Integer steps,

        @DecimalMin("0.0") @DecimalMax(MAX_GUIDANCE_SCALE)
        @Schema(description = "Classifier-free guidance scale; 1 disables guidance.", defaultValue = GUIDANCE_SCALE)
        Double guidanceScale,

        @DecimalMin("0.0") @DecimalMax("1.0")
        @Schema(description = "Guidance rescale (phi); 0 disables.", defaultValue = GUIDANCE_RESCALE)
        Double guidanceRescale,

        @Valid
        @Schema(description = "Dynamic thresholding; absent means none.")
        ThresholdingRequest thresholding,

        @Valid
        @Schema(description = "Classifier guidance towards an attribute label (the prompt's attributes, with the label's attribute set to it); absent means none.")
        ClassifierGuidanceRequest classifierGuidance,

        @Schema(description = "Super-resolution after the base stage.", defaultValue = UPSCALE)
        Upscale upscale,

        @Valid
        @Schema(description = "Start from an uploaded image (image-to-image), resized to the model's resolution; floor(steps * strength) steps are run.")
        InitImageRequest initImage,

        @Size(max = 64)
        @Schema(description = "Upload id of an inpainting mask (white = repaint, black = keep); needs init_image, whose strength it overrides: the repainted region is generated over the whole schedule.")
        String maskUploadId,

        @Pattern(regexp = MODEL_PATTERN, message = "must be written name@version")
        @Schema(description = "Model version as name@version; default: the bundled base model.")
        String model,

        @Schema(description = "Scheduling class.", defaultValue = PRIORITY)
        Priority priority,

        @Valid
        @Schema(description = "Signed notifications about this job.")
        WebhookRequest webhook,

        @Schema(description = "Result file format; only png is produced so far (jpeg is refused with 422).", defaultValue = OUTPUT_FORMAT)
        OutputFormat outputFormat,

        @Size(max = GenerationSpec.MAX_LORAS)
        @Schema(description = "LoRA versions stacked over the model, each at its scale (their updates add up); each must "
                + "adapt the job's model and be named once. Default: none.")
        List<@NotNull @Valid LoraRequest> loras) {
}
