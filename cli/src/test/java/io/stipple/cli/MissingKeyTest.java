package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stipple.cli.api.ApiSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Without an API key a command says so first and only: before it waits for a gateway, prints what
 * it is about to do, or reads its inputs. No gateway runs here (the URL is a closed port).
 */
class MissingKeyTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "generate", "finetune", "jobs", "models"})
    void aCommandWithoutAKeyFailsAtOnceWithOnlyTheMissingKeyMessage(String command) throws IOException {
        assumeTrue(System.getenv(ApiSettings.KEY_ENV) == null, "the environment sets " + ApiSettings.KEY_ENV);
        Path emptyConfig = Files.createFile(folder.resolve("config.properties"));
        List<String> args = new ArrayList<>(List.of(command, "--api-url", "http://127.0.0.1:9", "--config", emptyConfig.toString()));
        switch (command) {
            case "demo" -> args.addAll(List.of("--ready-timeout", "1", "-o", folder.resolve("demo.png").toString()));
            case "generate" -> args.addAll(List.of("a red star", "-o", folder.toString()));
            case "finetune" -> args.addAll(List.of("--class-noun", "star", "--name", "x", folder.resolve("missing.png").toString()));
            default -> { }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StippleCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute(args.toArray(String[]::new));

        assertEquals(ExitCodes.USAGE, exit, err::toString);
        assertEquals("stipple: no API key: pass --api-key, set " + ApiSettings.KEY_ENV + ", or write api-key=<key> in "
                + emptyConfig, err.toString().strip());
        assertEquals("", out.toString());
    }
}
