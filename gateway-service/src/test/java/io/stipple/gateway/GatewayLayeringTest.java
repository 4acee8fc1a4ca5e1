package io.stipple.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Problem documents are the REST edge's business: the service, mapping, repository, messaging and
 * webhook layers throw domain exceptions ({@code service.rejection}) and never build a problem or a
 * JAX-RS response; {@code rest.problem} maps them in one place.
 */
class GatewayLayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stipple.gateway");

    @Test
    void onlyTheRestEdgeKnowsProblemDocuments() {
        noClasses().that().resideInAnyPackage("io.stipple.gateway.service..", "io.stipple.gateway.mapping..",
                        "io.stipple.gateway.repository..", "io.stipple.gateway.messaging..", "io.stipple.gateway.webhook..")
                .should().dependOnClassesThat().resideInAnyPackage("io.stipple.gateway.rest.problem..")
                .orShould().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..")
                .check(CLASSES);
    }
}
