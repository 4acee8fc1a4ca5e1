package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.contracts.Topics;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
}
