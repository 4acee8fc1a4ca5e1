package io.stipple.trainer.job;

import java.util.Map;

/**
 * A trained version's folder is written; what its registry row needs besides the files.
 *
 * @param method  the registry's method: {@code full} or {@code lora}
 * @param record  the version's description as stored in the row: its {@code model_card.json}, or for a LoRA
 *                of a Stable Diffusion base its {@code stipple-import.json}
 * @param metrics the run's numbers for the job's success event
 */
record TrainedVersion(String method, String record, Map<String, Double> metrics) {
}
