package io.stipple.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.cli.api.GatewayClient;
import io.stipple.cli.api.Job;
import io.stipple.cli.api.Upload;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static io.stipple.cli.GenerateCommand.putIfSet;

/**
 * {@code stipple finetune}: uploads 3-10 images of a subject (or names an earlier upload), submits
 * a DreamBooth fine-tune and follows its training steps and loss; prints the new model version.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a model on 3-10 images of one subject (DreamBooth) and follow training step and loss.")
final class FineTuneCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Mixin
    OutputOptions output;

    @ArgGroup(multiplicity = "1")
    Instances instances;

    static final class Instances {
        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG images of the subject (3-10).")
        List<Path> images;

        @Option(names = "--upload-id", description = "An earlier upload (POST /v1/uploads) instead of image files.")
        String uploadId;
    }

    @Option(names = "--class-noun", required = true, description = "The subject's class, e.g. star.")
    String classNoun;

    @Option(names = "--name", required = true, description = "Name the new model version is registered under.")
    String outputModelName;

    @Option(names = "--token", description = "Rare word that will name the subject in prompts.")
    String identifierToken;

    @Option(names = "--base-model", paramLabel = "NAME@VERSION", description = "Model version to fine-tune.")
    String baseModel;

    @Option(names = "--steps", description = "Training steps.")
    Integer steps;

    @Option(names = "--learning-rate", description = "Learning rate.")
    Double learningRate;

    @Option(names = "--batch-size", description = "Images per step.")
    Integer batchSize;

    @Option(names = "--seed", description = "Seed of every random draw.")
    Long seed;

    @Option(names = "--method", description = "full or lora.")
    String method;

    @Option(names = "--lora-rank", description = "Adapter rank (with --method lora).")
    Integer loraRank;

    @Override
    public Integer call() {
        GatewayClient client = api.client();
        String upload = instances.uploadId;
        if (upload == null) {
            Upload stored = client.upload(instances.images);
            api.message("uploaded " + stored.images().size() + " images as " + stored.id());
            upload = stored.id();
        }
        return output.finish(api, client, client.submitFineTune(body(upload)));
    }

    private ObjectNode body(String uploadId) {
        ObjectNode body = GatewayClient.JSON.createObjectNode()
                .put("instance_upload_id", uploadId)
                .put("class_noun", classNoun)
                .put("output_model_name", outputModelName);
        putIfSet(body, "identifier_token", identifierToken);
        putIfSet(body, "base_model", baseModel);
        putIfSet(body, "steps", steps);
        putIfSet(body, "learning_rate", learningRate);
        putIfSet(body, "batch_size", batchSize);
        putIfSet(body, "seed", seed);
        putIfSet(body, "method", method);
        putIfSet(body, "lora_rank", loraRank);
        return body;
    }
}
