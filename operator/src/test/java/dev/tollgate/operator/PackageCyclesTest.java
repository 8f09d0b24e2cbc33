package dev.tollgate.operator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The operator's packages form no cycle: the composition root ({@code dev.tollgate.operator}) wires the feature packages
 * (gateway, key, route, team, spend), which share only {@code cluster} (lookups, labels, conditions, events) and never
 * import the root or each other in both directions.
 */
class PackageCyclesTest {

    private static final JavaClasses OPERATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate.operator");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.tollgate.(**)").should().beFreeOfCycles().check(OPERATOR);
    }
}
