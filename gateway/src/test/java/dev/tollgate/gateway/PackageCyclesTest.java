package dev.tollgate.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The gateway's packages form no cycle. The composition root ({@code dev.tollgate.gateway}) wires everything and no
 * package imports it back; {@code json}, {@code error} and {@code request} (what a client asked for, in the API it
 * speaks) are leaves that routing, limits and the pipeline share, so the pipeline can import them without them
 * importing the pipeline.
 */
class PackageCyclesTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate.gateway");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.tollgate.gateway.(**)").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void noPackageImportsTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackage("dev.tollgate.gateway")
                .should().dependOnClassesThat().resideInAPackage("dev.tollgate.gateway")
                .check(GATEWAY);
    }
}
