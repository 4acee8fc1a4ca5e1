package io.stipple.contracts;

import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.ClassifierGuidance;
import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.InitImage;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.OutputFormat;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.PriorPreservation;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.SamplerSettings;
import io.stipple.contracts.spec.Thresholding;
import io.stipple.contracts.spec.TimestepSpacing;
import io.stipple.contracts.spec.Upscale;
import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.contracts.work.JobControl;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One fully populated instance of every message, for the round-trip tests. */
final class SampleMessages {

    static final UUID JOB = UUID.fromString("0b8f2a4e-4a65-4d7e-9d55-2f1f0c3c9a10");
    static final String TENANT = "acme";
    static final Instant AT = Instant.parse("2026-11-21T23:00:00.123456Z");
    static final SchemaVersion V = SchemaVersion.CURRENT;

    private SampleMessages() {
    }

    static GenerationSpec generationSpec() {
        return new GenerationSpec("a red star on a blue background", "blurry", 4, 42L, Sampler.EULER_ANCESTRAL,
                new SamplerSettings(0.5, true, TimestepSpacing.TRAILING), 30, 7.5, 0.7, new Thresholding(0.995, 1.5),
                new ClassifierGuidance("star", 2.0), Upscale.X4, new InitImage("up_123", 0.6), "up_456",
                ModelRef.parse("stipple-base@1"), Priority.HIGH,
                new WebhookSpec(URI.create("https://example.test/hook"), Set.of(WebhookEvent.SUCCEEDED, WebhookEvent.PROGRESS)),
                OutputFormat.PNG, List.of(new LoraRef(ModelRef.parse("ink-style@2"), 0.8),
                        new LoraRef(ModelRef.parse("sks-star@1"), -0.5)));
    }

    static FineTuneSpec fineTuneSpec() {
        return new FineTuneSpec(ModelRef.parse("stipple-base@1"), "up_789", "sks", "star",
                new PriorPreservation(true, 50, 1.0), 400, 5e-6, 2, 7L, true, FineTuneMethod.LORA, 8, "my-star",
                Priority.LOW, null);
    }

    static List<Object> all() {
        JobOutput output = new JobOutput("results/acme/" + JOB + "/0.png", "image/png", 1234L, Map.of("index", "0", "seed", "42"));
        return List.of(
                JobSubmitted.of(JOB, TENANT, AT, generationSpec()),
                JobSubmitted.of(JOB, TENANT, AT, fineTuneSpec()),
                CancelRequested.of(JOB, TENANT, 1, AT, "changed my mind"),
                new GenerationWorkItem(V, JOB, TENANT, 1, 1, AT, generationSpec(), "results/acme/" + JOB + "/", 5000, AT.plusSeconds(30)),
                new FineTuneWorkItem(V, JOB, TENANT, 2, 4, AT, fineTuneSpec(), "checkpoints/" + JOB + "/", "models/my-star/1/", "1", 5000, AT),
                new JobControl(V, JOB, TENANT, 1, 3, AT, ControlAction.CANCEL, "client asked"),
                new JobRunning(V, JOB, TENANT, 1, 1, AT, "worker-1"),
                new JobProgress(V, JOB, TENANT, 1, 2, AT, "worker-1", new Progress(3, 30, "base", 0.25, "previews/x.png")),
                new JobHeartbeat(V, JOB, TENANT, 1, 3, AT, "worker-1"),
                new JobSucceeded(V, JOB, TENANT, 1, 4, AT, "worker-1", List.of(output), ModelRef.parse("my-star@1"), Map.of("sampling_seconds", 1.5),
                        new Progress(300, 300, "training", null, null)),
                new JobFailed(V, JOB, TENANT, 1, 4, AT, "worker-1", "out of memory", true),
                new JobCanceled(V, JOB, TENANT, 1, 4, AT, "worker-1", "client asked"),
                new JobStatus(V, JOB, TENANT, 1, 7, AT, io.stipple.contracts.spec.JobKind.GENERATION, JobState.FAILED,
                        StatusTrigger.FAILED, "attempt 1 failed", new Progress(30, 30, "base", null, null), List.of(output),
                        null, new JobError("out of memory", true), new JobTimestamps(AT, AT, AT, AT), false));
    }
}
