package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A scheduler's configuration, spelled with diffusers' {@code scheduler_config.json} keys so that a
 * file written by diffusers loads as it is ({@link SchedulerConfigs#fromJson}). It is the union of
 * the keys of every supported scheduler; each scheduler reads the keys diffusers' class of the same
 * name reads and ignores the others, as diffusers does. Defaults differ per class, so build configs
 * with {@link SchedulerConfigs#defaults} rather than by hand.
 *
 * @param className            {@code _class_name}: which algorithm ({@link SchedulerConfigs#create})
 * @param trainedBetas         explicit betas, overriding the schedule (null when absent)
 * @param clipSampleRange      clip x0 predictions to {@code [-range, range]} when {@code clip_sample}
 * @param thresholding         dynamic thresholding of x0 (Saharia et al. 2022) instead of clipping
 * @param dynamicThresholdingRatio percentile of |x0| per image used as threshold
 * @param sampleMaxValue       upper bound of the dynamic threshold
 * @param varianceType         DDPM only; null means the class default
 * @param solverOrder          DPM-Solver++ / UniPC multistep order (1, 2 or 3)
 * @param solverType           {@code midpoint}/{@code heun} (DPM-Solver), {@code bh1}/{@code bh2} (UniPC)
 * @param lambdaMinClipped     DPM-Solver: clip log-SNR from below (cosine schedules); -inf = off
 * @param useClippedModelOutput DDIM: step with the epsilon implied by the clipped (or thresholded)
 *                             x0 instead of the raw one. diffusers takes this as an argument of
 *                             {@code DDIMScheduler.step}; it is a config key here so that a sampler
 *                             choice can carry it. Without it, the clipped x0 and the unclipped
 *                             epsilon disagree whenever clipping bites (strong guidance), and the
 *                             update drifts off the data manifold.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SchedulerConfig(
        @JsonProperty("_class_name") String className,
        @JsonProperty("num_train_timesteps") int numTrainTimesteps,
        @JsonProperty("beta_start") double betaStart,
        @JsonProperty("beta_end") double betaEnd,
        @JsonProperty("beta_schedule") BetaSchedule betaSchedule,
        @JsonProperty("trained_betas") double[] trainedBetas,
        @JsonProperty("prediction_type") PredictionType predictionType,
        @JsonProperty("timestep_spacing") TimestepSpacing timestepSpacing,
        @JsonProperty("steps_offset") int stepsOffset,
        @JsonProperty("rescale_betas_zero_snr") boolean rescaleBetasZeroSnr,
        @JsonProperty("clip_sample") boolean clipSample,
        @JsonProperty("clip_sample_range") double clipSampleRange,
        @JsonProperty("set_alpha_to_one") boolean setAlphaToOne,
        @JsonProperty("thresholding") boolean thresholding,
        @JsonProperty("dynamic_thresholding_ratio") double dynamicThresholdingRatio,
        @JsonProperty("sample_max_value") double sampleMaxValue,
        @JsonProperty("variance_type") VarianceType varianceType,
        @JsonProperty("skip_prk_steps") boolean skipPrkSteps,
        @JsonProperty("solver_order") int solverOrder,
        @JsonProperty("algorithm_type") AlgorithmType algorithmType,
        @JsonProperty("solver_type") String solverType,
        @JsonProperty("lower_order_final") boolean lowerOrderFinal,
        @JsonProperty("euler_at_final") boolean eulerAtFinal,
        @JsonProperty("final_sigmas_type") FinalSigmasType finalSigmasType,
        @JsonProperty("lambda_min_clipped") double lambdaMinClipped,
        @JsonProperty("predict_x0") boolean predictX0,
        @JsonProperty("disable_corrector") List<Integer> disableCorrector,
        @JsonProperty("use_karras_sigmas") boolean useKarrasSigmas,
        @JsonProperty("sigma_min") Double sigmaMin,
        @JsonProperty("sigma_max") Double sigmaMax,
        @JsonProperty("interpolation_type") String interpolationType,
        @JsonProperty("timestep_type") String timestepType,
        @JsonProperty("use_exponential_sigmas") boolean useExponentialSigmas,
        @JsonProperty("use_beta_sigmas") boolean useBetaSigmas,
        @JsonProperty("use_lu_lambdas") boolean useLuLambdas,
        @JsonProperty("use_flow_sigmas") boolean useFlowSigmas,
        @JsonProperty("use_dynamic_shifting") boolean useDynamicShifting,
        @JsonProperty("use_clipped_model_output") boolean useClippedModelOutput) {

    public SchedulerConfig {
        if (numTrainTimesteps < 1) {
            throw new IllegalArgumentException("num_train_timesteps must be positive, got " + numTrainTimesteps);
        }
        if (trainedBetas != null && trainedBetas.length != numTrainTimesteps) {
            throw new IllegalArgumentException("trained_betas has " + trainedBetas.length
                    + " values but num_train_timesteps is " + numTrainTimesteps);
        }
        disableCorrector = disableCorrector == null ? List.of() : List.copyOf(disableCorrector);
    }

    /** A copy with some keys replaced, e.g. {@code with(Map.of("prediction_type", "v_prediction"))}. */
    public SchedulerConfig with(Map<String, ?> overrides) {
        return SchedulerConfigs.override(this, overrides);
    }

    /** Fails with a clear message when a key this scheduler reads has a value it does not support. */
    void require(boolean supported, String keyAndValue) {
        if (!supported) {
            throw new IllegalArgumentException(className + ": unsupported " + keyAndValue);
        }
    }
}
