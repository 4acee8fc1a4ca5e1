package io.stipple.trainer.job;

import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.spec.ModelRef;
import java.util.List;
import java.util.Map;

/** What a finished fine-tune produced: the registered version, its files and the run's numbers. */
public record FineTuneResult(ModelRef model, List<JobOutput> outputs, Map<String, Double> metrics) {
}
