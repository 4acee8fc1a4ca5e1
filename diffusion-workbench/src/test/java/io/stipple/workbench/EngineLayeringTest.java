package io.stipple.workbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine library and its workbench, layered: the services run {@code io.stipple.engine}
 * (module diffusion-engine) alone, so it must not use anything of {@code io.stipple.workbench}
 * (this module), and neither side's packages may depend on each other in a cycle. Reads the
 * compiled production classes of both modules (tests and test jars left out), as the worker's
 * classpath holds them.
 */
class EngineLayeringTest {

    private static final String ENGINE = "io.stipple.engine";
    private static final String WORKBENCH = "io.stipple.workbench";

    /** Production classes only: no test-classes folder, no test jar (the engine's TinyModels). */
    private static final ImportOption PRODUCTION = location ->
            !location.contains("/test-classes/") && !location.contains("-tests.jar");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(PRODUCTION)
            .importPackages(ENGINE, WORKBENCH);

    @Test
    void readsBothModules() {
        assertTrue(CLASSES.containPackage(ENGINE + ".pipeline"), "engine classes imported");
        assertTrue(CLASSES.containPackage(WORKBENCH + ".cli"), "workbench classes imported");
        assertTrue(CLASSES.stream().noneMatch(c -> c.getSimpleName().equals("TinyModels")), "no test classes");
    }

    @Test
    void theEngineDoesNotDependOnTheWorkbench() {
        noClasses().that().resideInAPackage(ENGINE + "..")
                .should().dependOnClassesThat().resideInAPackage(WORKBENCH + "..")
                .check(CLASSES);
    }

    @Test
    void theEnginesPackagesHaveNoCycle() {
        slices().matching(ENGINE + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theWorkbenchsPackagesHaveNoCycle() {
        slices().matching(WORKBENCH + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
