package io.edgedeck.console;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchPredicates;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module map of docs/ARCHITECTURE.md, checked on the production classes of every module: the
 * console's views and view models see the edge only through edge-client, so a LIVE console needs
 * no engine class; edge-client, the edge core and the simulator never touch JavaFX; edge-client
 * knows neither the core nor the simulator.
 */
@AnalyzeClasses(packages = "io.edgedeck", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** A view or a view model of a console feature, or a class nested in one. */
    private static final DescribedPredicate<JavaClass> VIEW_OR_VIEW_MODEL = DescribedPredicate.describe(
            "console views and view models", c -> {
                JavaClass outer = c;
                while (outer.getEnclosingClass().isPresent()) {
                    outer = outer.getEnclosingClass().get();
                }
                String name = outer.getSimpleName();
                return outer.getPackageName().startsWith("io.edgedeck.console")
                        && (name.endsWith("View") || name.endsWith("ViewModel"));
            });

    @ArchTest
    static final ArchRule viewsAndViewModelsStayOffTheEngine = noClasses().that(VIEW_OR_VIEW_MODEL)
            .should().dependOnClassesThat().resideInAnyPackage("io.edgedeck.engine..")
            .because("a view reads the wire model through an EdgeConnection, the same in LIVE and REHEARSAL");

    @ArchTest
    static final ArchRule logicModulesKnowNoJavaFx = noClasses()
            .that().resideInAnyPackage("io.edgedeck.client..", "io.edgedeck.engine..", "io.edgedeck.simulator..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("edge-client and simulator are logic modules; the console adapts them");

    @ArchTest
    static final ArchRule theWireModelStandsAlone = noClasses().that().resideInAnyPackage("io.edgedeck.client..")
            .should().dependOnClassesThat(ArchPredicates.are(DescribedPredicate.describe("engine, simulator or console classes",
                    c -> c.getPackageName().startsWith("io.edgedeck.engine")
                            || c.getPackageName().startsWith("io.edgedeck.simulator")
                            || c.getPackageName().startsWith("io.edgedeck.console"))))
            .because("edge-client is the contract both sides of a connection build on");
}
