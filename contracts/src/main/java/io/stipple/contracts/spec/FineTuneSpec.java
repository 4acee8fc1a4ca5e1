package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * A DreamBooth fine-tuning request, fully resolved by the gateway.
 *
 * @param baseModel          the model version to fine-tune
 * @param instanceUploadId   the upload holding the 3-10 instance images of the subject
 * @param identifierToken    the rare token that will name the subject, e.g. {@code "sks"}
 * @param classNoun          the subject's class, e.g. {@code "star"}; instance prompt is "a {token} {class}"
 * @param priorPreservation  prior-preservation settings
 * @param steps              training steps
 * @param learningRate       optimizer learning rate
 * @param batchSize          images per training step
 * @param seed               the seed of every random draw of the run
 * @param trainTextEncoder   whether the text encoder is trained too
 * @param method             full fine-tune or LoRA adapters
 * @param loraRank           adapter rank when {@code method} is LoRA, else null
 * @param outputModelName    name of the model the new version is registered under
 * @param priority           scheduling class
 * @param webhook            notifications, or null
 */
public record FineTuneSpec(
        ModelRef baseModel,
        String instanceUploadId,
        String identifierToken,
        String classNoun,
        PriorPreservation priorPreservation,
        int steps,
        double learningRate,
        int batchSize,
        long seed,
        boolean trainTextEncoder,
        FineTuneMethod method,
        Integer loraRank,
        String outputModelName,
        Priority priority,
        WebhookSpec webhook) implements JobSpec {

    private static final String TYPE = "finetune spec";

    public FineTuneSpec {
        Envelope.require(baseModel, TYPE, "base_model");
        Envelope.require(instanceUploadId, TYPE, "instance_upload_id");
        Envelope.require(identifierToken, TYPE, "identifier_token");
        Envelope.require(classNoun, TYPE, "class_noun");
        Envelope.require(method, TYPE, "method");
        Envelope.require(outputModelName, TYPE, "output_model_name");
        priorPreservation = priorPreservation == null ? new PriorPreservation(false, 0, 0.0) : priorPreservation;
        priority = priority == null ? Priority.NORMAL : priority;
        if (method == FineTuneMethod.LORA && loraRank == null) {
            throw new IllegalArgumentException(TYPE + ": lora_rank is required when method is lora");
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.FINETUNE;
    }

    /** The prompt that names the subject, e.g. "a sks star". */
    public String instancePrompt() {
        return "a " + identifierToken + " " + classNoun;
    }

    /** The prompt of the subject's class, e.g. "a star". */
    public String classPrompt() {
        return "a " + classNoun;
    }
}
