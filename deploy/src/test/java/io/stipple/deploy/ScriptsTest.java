package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shell scripts compose and Kubernetes share: valid POSIX sh, and the topics the services use. */
class ScriptsTest {

    private static final Pattern CREATE = Pattern.compile("(?m)^create\\s+(\\S+)\\s+\"\\$\\w+\"\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"create-topics.sh", "create-bucket.sh"})
    void isValidPosixShell(String script) {
        ExternalTool.Result check = ExternalTool.sh().run(DeployFiles.SCRIPTS, "-n", script);
        assertTrue(check.succeeded(), script + " has a syntax error: " + check.describe());
    }

    @Test
    void createsEveryTopicOfTheContractsAndNoOther() {
        Matcher create = CREATE.matcher(DeployFiles.read(DeployFiles.SCRIPTS.resolve("create-topics.sh")));
        List<String> created = create.results().map(m -> m.group(1)).toList();
        assertEquals(Topics.ALL.stream().sorted().toList(), created.stream().sorted().toList(),
                "deploy/k8s/base/scripts/create-topics.sh must create io.stipple.contracts.Topics.ALL");
    }

    @Test
    void createsTheWorkTopicOfEveryWorkerPoolItIsGiven(@TempDir Path kafkaHome) throws IOException {
        // A kafka-topics.sh that prints its arguments: the script runs for real, without a broker.
        Path tool = kafkaHome.resolve("bin/kafka-topics.sh");
        Files.createDirectories(tool.getParent());
        Files.writeString(tool, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = DeployFiles.SCRIPTS.resolve("create-topics.sh").toAbsolutePath().toString();
        ExternalTool.Result run = ExternalTool.sh().run(DeployFiles.SCRIPTS, "-c", "KAFKA_HOME='" + kafkaHome
                + "' KAFKA_BOOTSTRAP_SERVERS=kafka:9092 STIPPLE_WORKER_POOLS='studio gold' sh '" + script + "'");
        assertTrue(run.succeeded(), run.describe());
        for (String pool : List.of("studio", "gold")) {
            assertTrue(run.stdout().contains("--topic " + Topics.generationPool(pool) + " --partitions 24"), run.stdout());
        }
    }
}
