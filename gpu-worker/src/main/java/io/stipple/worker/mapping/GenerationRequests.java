package io.stipple.worker.mapping;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.Sampler;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.SamplerChoice;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A contract {@link GenerationSpec} in the engine's terms (the engine does not know the contracts).
 * Sampler settings become diffusers scheduler keys; what the worker cannot do yet fails clearly.
 * Upscale stages are not part of the request: they run after it ({@code batching.Upscaler}); start
 * images and classifier guidance are added before sampling ({@code batching.JobInputs}).
 */
public final class GenerationRequests {

    private GenerationRequests() {
    }

    public static GenerationRequest fromSpec(GenerationSpec spec) {
        refuseUnsupported(spec);
        Map<String, Object> scheduler = new LinkedHashMap<>();
        if (spec.samplerSettings().timestepSpacing() != null) {
            // left out, the sampler is configured from the model alone, as the engine CLI does
            scheduler.put("timestep_spacing", spec.samplerSettings().timestepSpacing().name().toLowerCase());
        }
        if (spec.samplerSettings().karrasSigmas()) {
            scheduler.put("use_karras_sigmas", true);
        }
        if (spec.thresholding() != null) {
            scheduler.put("thresholding", true);
            scheduler.put("dynamic_thresholding_ratio", spec.thresholding().ratio());
            scheduler.put("sample_max_value", spec.thresholding().maxValue());
        }
        GuidanceSettings guidance = GuidanceSettings.scale(spec.guidanceScale()).withRescale(spec.guidanceRescale());
        return new GenerationRequest(spec.prompt(), spec.negativePrompt(), spec.numImages(), spec.seed(),
                sampler(spec.sampler()), spec.steps(), guidance, scheduler);
    }

    static SamplerChoice sampler(Sampler sampler) {
        return switch (sampler) {
            case DDIM -> SamplerChoice.DDIM;
            case DDPM -> SamplerChoice.DDPM;
            case EULER -> SamplerChoice.EULER;
            case EULER_ANCESTRAL -> SamplerChoice.EULER_ANCESTRAL;
            case HEUN -> SamplerChoice.HEUN;
            case DPMPP_2M -> SamplerChoice.DPMPP_2M;
        };
    }

    private static void refuseUnsupported(GenerationSpec spec) {
        if (spec.samplerSettings().eta() != 0) {
            throw new UnsupportedSpecException("sampler eta other than 0 is not supported by this worker yet");
        }
    }
}
