package io.stipple.cli.api;

/** A model version a job can name; {@code source} is {@code bundled} or {@code finetune}. */
public record ModelEntry(String model, String name, String version, String source, String finetuneJobId, String createdAt) {
}
