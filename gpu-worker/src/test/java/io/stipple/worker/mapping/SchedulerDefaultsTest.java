package io.stipple.worker.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.SamplerSettings;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.TimestepSpacing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One source of scheduler defaults: a default API job, as the worker receives it (the gateway
 * resolves a request naming only a prompt to dpmpp_2m with sampler settings that leave the timestep
 * spacing to the model), configures the same scheduler as the engine CLI with no sampler options
 * on the bundled base model; before, the gateway sent {@code leading} while the CLI, which measured
 * the model in docs/models.md, ran DPM-Solver++'s own {@code linspace}.
 */
class SchedulerDefaultsTest {

    private static final Path BUNDLED_BASE = Path.of("..", "models", "stipple-base-16", "6");

    @Test
    void aDefaultApiJobAndTheEngineCliBuildTheSameSchedulerConfig() throws Exception {
        GenerationSpec spec = new GenerationSpec("a red circle in the center on a white background", "", 1, 3,
                Sampler.DPMPP_2M, new SamplerSettings(0.0, false, null), 20, 3.0, 0.0, null, null, null, null, null,
                ModelRef.parse("stipple-base-16@6"), null, null, null);
        try (DiffusionModel model = DiffusionModels.open(BUNDLED_BASE)) {
            GenerationRequest request = GenerationRequests.fromSpec(spec);
            // as engine.pipeline.GenerationPipeline configures a batch
            SchedulerConfig api = request.sampler().configFor(model, request.schedulerSettings());
            // as the CLI's generate does with no --sampler and no --dynamic-thresholding
            SamplerChoice cliSampler = SamplerChoice.find(model.defaults().sampler());
            SchedulerConfig cli = new PromptSampler(model, cliSampler, model.defaults().steps(),
                    model.defaults().guidanceScale(), false).schedulerConfig();

            assertEquals(cliSampler, request.sampler());
            assertEquals(cli, api);
            assertEquals(TimestepSpacing.LINSPACE, api.timestepSpacing());
        }
    }

    /** A spacing the request states still wins. */
    @Test
    void aStatedSpacingIsHonoured() throws Exception {
        GenerationSpec spec = new GenerationSpec("a star", "", 1, 3, Sampler.DPMPP_2M,
                new SamplerSettings(0.0, false, io.stipple.contracts.spec.TimestepSpacing.LEADING), 20, 3.0, 0.0, null,
                null, null, null, null, ModelRef.parse("stipple-base-16@6"), null, null, null);
        try (DiffusionModel model = DiffusionModels.open(BUNDLED_BASE)) {
            GenerationRequest request = GenerationRequests.fromSpec(spec);
            assertEquals(TimestepSpacing.LEADING, request.sampler().configFor(model, request.schedulerSettings())
                    .timestepSpacing());
        }
    }
}
