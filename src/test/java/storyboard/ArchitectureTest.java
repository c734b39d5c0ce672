package storyboard;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled classes: a kernel below the capabilities, each capability on its
 * own, and the server and the command line on top.
 *
 * <pre>
 *   cli                       commands, run through the launcher
 *   server                    wires the capabilities and starts HTTP and the database
 *   auth events budgets assets promptlog prompts ...   one package per capability
 *   web                       the dashboard's frame: templates, layout, static files, the overview
 *   api                       HTTP requests and answers (parameters, bodies, errors to statuses)
 *   kernel                    identity, route access, changes, pages, visibility, domain errors, capabilities
 * </pre>
 */
class ArchitectureTest {
    /** Every capability: each may use the kernel and the HTTP layer, never another capability. */
    static final List<String> CAPABILITIES = List.of("auth", "events", "budgets", "assets", "promptlog", "prompts", "projects");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("storyboard");

    @Test
    void noPackageDependsOnItselfInACycle() {
        slices().matching("storyboard.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theKernelUsesNothingAboveIt() {
        noClasses().that().resideInAPackage("storyboard.kernel..")
                .should().dependOnClassesThat().resideOutsideOfPackages("storyboard.kernel..", "java..", "javax..",
                        "org.jdbi..", "io.javalin..", "com.fasterxml..", "org.slf4j..", "jakarta..", "org.eclipse.jetty..")
                .check(MAIN);
    }

    @Test
    void theDashboardsFrameUsesOnlyTheLayersBelow() {
        noClasses().that().resideInAPackage("storyboard.web..")
                .should().dependOnClassesThat().resideInAnyPackage(above("storyboard.web"))
                .check(MAIN);
    }

    @Test
    void theHttpLayerUsesOnlyTheKernel() {
        noClasses().that().resideInAPackage("storyboard.api..")
                .should().dependOnClassesThat().resideInAnyPackage(java.util.stream.Stream.concat(
                        java.util.Arrays.stream(above("storyboard.api")), java.util.stream.Stream.of("storyboard.web.."))
                        .toArray(String[]::new))
                .check(MAIN);
    }

    @Test
    void aCapabilityUsesNoOtherCapabilityNorTheServer() {
        for (String capability : CAPABILITIES) {
            noClasses().that().resideInAPackage("storyboard." + capability + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above("storyboard." + capability))
                    .because("a capability is its routes, store, records and pages on top of the kernel;"
                            + " what it needs of another comes through a kernel interface wired by the server")
                    .check(MAIN);
        }
    }

    @Test
    void theServerDoesNotUseTheCommandLine() {
        noClasses().that().resideInAPackage("storyboard.server..")
                .should().dependOnClassesThat().resideInAPackage("storyboard.cli..")
                .check(MAIN);
    }

    /** The packages a package below the capabilities (or a capability) must not use: the others and those above. */
    private static String[] above(String self) {
        return java.util.stream.Stream.concat(
                        CAPABILITIES.stream().map(c -> "storyboard." + c + ".."),
                        java.util.stream.Stream.of("storyboard.server..", "storyboard.cli.."))
                .filter(p -> !p.equals(self + ".."))
                .toArray(String[]::new);
    }
}
