package io.edgedeck.engine;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The edge core takes observations and never knows where they come from: nothing in
 * {@code io.edgedeck.engine} depends on the simulated edge, the scenarios, the command line or the
 * node's server in {@code io.edgedeck.simulator} (docs/ARCHITECTURE.md).
 */
@AnalyzeClasses(packages = "io.edgedeck", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreBoundaryTest {

    @ArchTest
    static final ArchRule theCoreKnowsNoProducer = noClasses().that().resideInAnyPackage("io.edgedeck.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgedeck.simulator..")
            .because("rehearsal and live feed the same core; the simulator is one producer of observations");
}
