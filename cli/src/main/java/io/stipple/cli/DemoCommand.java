package io.stipple.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.cli.api.GatewayClient;
import io.stipple.cli.api.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stipple demo}: one generation against running services, upscaled x2 by the worker's
 * super-resolution stage (16x16 -> 32x32), written to a PNG. {@code ./stipple demo} starts the
 * services around it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Wait for the gateway, run one generation (upscaled where the worker can) and write the PNG.")
final class DemoCommand implements Callable<Integer> {

    static final String UPSCALE = "x2";

    @Mixin
    ApiOptions api;

    @Option(names = "--prompt", defaultValue = "a large blue square in the center on a white background",
            description = "What to render (default: \"${DEFAULT-VALUE}\").")
    String prompt;

    @Option(names = "--seed", defaultValue = "3", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, defaultValue = "stipple-demo.png", description = "The PNG to write (default ${DEFAULT-VALUE}).")
    Path target;

    @Option(names = "--ready-timeout", defaultValue = "300", description = "Seconds to wait for the gateway (default ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter err = api.err();
        GatewayClient client = api.client();
        awaitReady(client);
        JobFollower follower = new JobFollower(client, err, System.console() != null);

        api.message("generating \"" + prompt + "\" with upscale " + UPSCALE + " ...");
        Job done = follower.follow(client.submitGeneration(body()));
        if (!"succeeded".equals(done.status())) {
            return JobFollower.reportUnsuccessful(done, err);
        }
        Path folder = Files.createTempDirectory(tempParent(), "stipple-demo");
        List<Path> files = follower.download(done, folder);
        if (files.isEmpty()) {
            api.message("job " + done.id() + " succeeded without an image");
            return ExitCodes.JOB_NOT_SUCCEEDED;
        }
        move(files.get(0), target);
        api.result(target.toAbsolutePath());
        return ExitCodes.OK;
    }

    private ObjectNode body() {
        return GatewayClient.JSON.createObjectNode().put("prompt", prompt).put("seed", seed).put("upscale", UPSCALE);
    }

    private void awaitReady(GatewayClient client) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(readyTimeoutSeconds));
        boolean told = false;
        while (!client.ready()) {
            if (Instant.now().isAfter(deadline)) {
                throw new GatewayUnreachableException("the gateway at " + client.url() + " was not ready within "
                        + readyTimeoutSeconds + " s (is `./stipple run` up?)");
            }
            if (!told) {
                api.message("waiting for the gateway at " + client.url() + " ...");
                told = true;
            }
            Thread.sleep(1000);
        }
    }

    private Path tempParent() {
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parent;
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(from.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + to + ": " + e.getMessage(), e);
        }
    }
}
