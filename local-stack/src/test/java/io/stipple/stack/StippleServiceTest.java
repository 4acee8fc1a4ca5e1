package io.stipple.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.stack.StackEndpoints.Client;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Each service is given the settings of exactly the clients its module has: Quarkus warns about a
 * setting of an extension the service lacks ({@code quarkus.datasource.*} in the gpu-worker), and a
 * missing one would leave the service on its built-in default address.
 */
class StippleServiceTest {

    private static final StackEndpoints STACK = new StackEndpoints("127.0.0.1:1", "jdbc:postgresql://127.0.0.1:2/stipple",
            "user", "password", "http://127.0.0.1:3", "access", "secret", "bucket", "region");

    @ParameterizedTest
    @EnumSource(StippleService.class)
    void aServiceGetsTheSettingsOfTheClientsItsModuleDependsOnAndNoOthers(StippleService service) throws Exception {
        Set<String> dependencies = compileAndRuntimeDependencies(Path.of("..", service.module(), "pom.xml"));
        Set<Client> used = EnumSet.noneOf(Client.class);
        if (dependencies.contains("quarkus-messaging-kafka")) {
            used.add(Client.KAFKA);
        }
        if (dependencies.contains("quarkus-jdbc-postgresql")) {
            used.add(Client.POSTGRES_JDBC);
        }
        if (dependencies.contains("quarkus-reactive-pg-client")) {
            used.add(Client.POSTGRES_REACTIVE);
        }
        if (dependencies.contains("object-store")) {
            used.add(Client.S3);
        }
        assertEquals(used, service.clients(), service.module() + "'s pom");

        Set<String> keys = service.config(STACK).keySet();
        assertEquals(used.contains(Client.POSTGRES_JDBC), keys.contains("quarkus.datasource.jdbc.url"), keys.toString());
        assertEquals(used.contains(Client.POSTGRES_REACTIVE), keys.contains("quarkus.datasource.reactive.url"), keys.toString());
        assertEquals(used.contains(Client.POSTGRES_JDBC) || used.contains(Client.POSTGRES_REACTIVE),
                keys.contains("quarkus.datasource.username"), keys.toString());
        assertEquals(used.contains(Client.KAFKA), keys.contains("kafka.bootstrap.servers"), keys.toString());
        assertEquals(used.contains(Client.S3), keys.contains("stipple.storage.endpoint"), keys.toString());
    }

    private static Set<String> compileAndRuntimeDependencies(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        Element dependencies = (Element) project.getElementsByTagName("dependencies").item(0);
        NodeList list = dependencies.getElementsByTagName("dependency");
        Set<String> artifacts = new HashSet<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element dependency = (Element) list.item(i);
            NodeList scope = dependency.getElementsByTagName("scope");
            if (scope.getLength() == 0 || !scope.item(0).getTextContent().trim().equals("test")) {
                artifacts.add(dependency.getElementsByTagName("artifactId").item(0).getTextContent().trim());
            }
        }
        return artifacts;
    }
}
