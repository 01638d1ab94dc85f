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

    /**
     * The console runs rehearsal nodes in its own process without the Kafka client (console-app/pom.xml leaves it
     * out): a class a rehearsal loads that names a Kafka type, even in a branch it never takes, fails to load there.
     */
    @ArchTest
    static final ArchRule onlyTheFleetNamesKafka = noClasses().that().resideOutsideOfPackage("io.edgedeck.simulator.fleet..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
            .because("a node outside a fleet, and the console's rehearsal, run without the Kafka client on the class path");
}
