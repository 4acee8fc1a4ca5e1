package io.stipple.gateway.mapping;

import io.stipple.contracts.spec.ClassifierGuidance;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.InitImage;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.OutputFormat;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.SamplerSettings;
import io.stipple.contracts.spec.Thresholding;
import io.stipple.contracts.spec.Upscale;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.model.GenerationRequest;
import io.stipple.gateway.rest.model.LoraRequest;
import io.stipple.gateway.rest.model.SamplerSettingsRequest;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.SeedSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.stipple.gateway.rest.model.GenerationDefaults.*;

/**
 * Resolves a validated {@link GenerationRequest} into the {@link GenerationSpec} the rest of the
 * system works with: every default applied, the seed chosen, cross-field rules checked.
 */
@ApplicationScoped
public class GenerationSpecMapper {

    private final ModelRef defaultModel;
    private final SeedSource seeds;
    private final Set<String> classifierLabels;

    public GenerationSpecMapper(GatewayConfig config, SeedSource seeds) {
        this.defaultModel = ModelRef.parse(config.defaultModel());
        this.seeds = seeds;
        this.classifierLabels = new TreeSet<>(config.classifierLabels());
    }

    public GenerationSpec toSpec(GenerationRequest r) {
        refuseUnhonoured(r);
        if (r.maskUploadId() != null && r.initImage() == null) {
            throw new InvalidFieldException("mask_upload_id", "needs init_image (inpainting repaints an image)");
        }
        if (r.classifierGuidance() != null && !classifierLabels.contains(r.classifierGuidance().label())) {
            throw new InvalidFieldException("classifier_guidance.label", "is not a label of the guidance classifier; one of "
                    + String.join(", ", classifierLabels));
        }
        int steps = or(r.steps(), Integer.parseInt(STEPS));
        if (r.initImage() != null && r.maskUploadId() == null) {
            // Image-to-image runs the last floor(steps * strength) steps (diffusers' img2img): at least one.
            double strength = or(r.initImage().strength(), Double.parseDouble(INIT_STRENGTH));
            if ((int) (steps * strength) < 1) {
                throw new InvalidFieldException("init_image.strength", "runs no step with " + steps
                        + " steps: must be at least 1/steps (" + (1.0 / steps) + ")");
            }
        }
        return new GenerationSpec(
                r.prompt(),
                or(r.negativePrompt(), ""),
                or(r.numImages(), Integer.parseInt(NUM_IMAGES)),
                r.seed() != null ? r.seed() : seeds.next(),
                or(r.sampler(), Sampler.DPMPP_2M),
                samplerSettings(r.samplerSettings()),
                steps,
                or(r.guidanceScale(), Double.parseDouble(GUIDANCE_SCALE)),
                or(r.guidanceRescale(), Double.parseDouble(GUIDANCE_RESCALE)),
                r.thresholding() == null ? null : new Thresholding(
                        or(r.thresholding().ratio(), Double.parseDouble(THRESHOLD_RATIO)),
                        or(r.thresholding().maxValue(), Double.parseDouble(THRESHOLD_MAX_VALUE))),
                r.classifierGuidance() == null ? null : new ClassifierGuidance(r.classifierGuidance().label(),
                        or(r.classifierGuidance().scale(), Double.parseDouble(CLASSIFIER_SCALE))),
                or(r.upscale(), Upscale.NONE),
                r.initImage() == null ? null : new InitImage(r.initImage().uploadId(),
                        or(r.initImage().strength(), Double.parseDouble(INIT_STRENGTH))),
                r.maskUploadId(),
                r.model() == null ? defaultModel : ModelRef.parse(r.model()),
                or(r.priority(), Priority.NORMAL),
                WebhookSpecs.of(r.webhook()),
                or(r.outputFormat(), OutputFormat.PNG),
                loras(r.loras()));
    }

    /** Each LoRA once, its scale defaulted; whether it fits the model is checked with the catalog (SpecChecks). */
    private static List<LoraRef> loras(List<LoraRequest> requested) {
        if (requested == null) {
            return List.of();
        }
        List<LoraRef> loras = new ArrayList<>(requested.size());
        Set<ModelRef> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            ModelRef model = ModelRef.parse(requested.get(i).model());
            if (!seen.add(model)) {
                throw new InvalidFieldException("loras[" + i + "].model", "names " + model + " a second time; give each "
                        + "LoRA once, with the scale it should have");
            }
            loras.add(new LoraRef(model, or(requested.get(i).scale(), Double.parseDouble(LORA_SCALE))));
        }
        return loras;
    }

    /**
     * Options the contract can carry but no worker honours yet are refused here rather than accepted
     * and then produced differently (a PNG for jpeg) or failed on the worker (eta). DDIM's eta exists in
     * the engine, but the worker's batches and the PNG parameters do not carry it yet.
     */
    private static void refuseUnhonoured(GenerationRequest r) {
        if (r.outputFormat() == OutputFormat.JPEG) {
            throw new InvalidFieldException("output_format", "jpeg is not produced yet: results are PNG files "
                    + "(with the generation parameters inside); omit output_format or send png");
        }
        if (r.samplerSettings() != null && r.samplerSettings().eta() != null && r.samplerSettings().eta() != 0) {
            throw new InvalidFieldException("sampler_settings.eta", "must be 0: no sampler accepts another eta yet "
                    + "(ddim, ddpm, euler, euler_ancestral, heun and dpmpp_2m all run with eta 0); omit it or send 0");
        }
    }

    /** A timestep spacing left out stays null: the worker takes the model's own (SamplerSettings). */
    private static SamplerSettings samplerSettings(SamplerSettingsRequest s) {
        if (s == null) {
            return new SamplerSettings(Double.parseDouble(ETA), false, null);
        }
        return new SamplerSettings(or(s.eta(), Double.parseDouble(ETA)), or(s.karrasSigmas(), false), s.timestepSpacing());
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
