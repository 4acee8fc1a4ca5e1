package io.stipple.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.cli.api.GatewayClient;
import io.stipple.cli.api.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stipple generate "prompt"}: submits a generation, shows its progress per stage and
 * downloads the images. Options left out take the gateway's defaults (docs/gateway.md).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images from a prompt: submit, follow the progress, download the results.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "What to render.")
    String prompt;

    @Option(names = "--negative", paramLabel = "TEXT", description = "What to steer away from.")
    String negativePrompt;

    @Option(names = {"-n", "--num-images"}, paramLabel = "N", description = "Images to generate (1-8).")
    Integer numImages;

    @Option(names = "--seed", description = "Seed of every random draw; the server picks one when absent.")
    Long seed;

    @Option(names = "--steps", description = "Denoising steps of the base stage.")
    Integer steps;

    @Option(names = {"-g", "--guidance"}, paramLabel = "SCALE", description = "Classifier-free guidance scale; 1 disables it.")
    Double guidanceScale;

    @Option(names = "--sampler", description = "Sampling algorithm, e.g. dpmpp_2m, ddim, ddpm, euler.")
    String sampler;

    @Option(names = "--upscale", description = "Super-resolution after the base stage: none, x2 or x4.")
    String upscale;

    @Option(names = "--model", paramLabel = "NAME@VERSION", description = "Model version (see `stipple models`).")
    String model;

    @Option(names = "--priority", description = "low, normal or high.")
    String priority;

    @Override
    public Integer call() {
        GatewayClient client = api.client();
        Job job = client.submitGeneration(body());
        return output.finish(api, client, job);
    }

    ObjectNode body() {
        ObjectNode body = GatewayClient.JSON.createObjectNode().put("prompt", prompt);
        putIfSet(body, "negative_prompt", negativePrompt);
        putIfSet(body, "num_images", numImages);
        putIfSet(body, "seed", seed);
        putIfSet(body, "steps", steps);
        putIfSet(body, "guidance_scale", guidanceScale);
        putIfSet(body, "sampler", sampler);
        putIfSet(body, "upscale", upscale);
        putIfSet(body, "model", model);
        putIfSet(body, "priority", priority);
        return body;
    }

    static void putIfSet(ObjectNode body, String field, Object value) {
        if (value != null) {
            body.set(field, GatewayClient.JSON.valueToTree(value));
        }
    }
}
