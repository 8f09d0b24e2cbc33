package dev.tollgate.api.crd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD YAML committed in {@code crds/} and in the Helm chart ({@code helm/tollgate/files/crds/}, which the chart's
 * {@code templates/crds.yaml} reads) must be exactly what the build generates from the Java types, with the printer
 * columns in declaration order and the provider rule added ({@link CrdPostProcessing}). Run with
 * {@code -Dtollgate.crds.update=true} to rewrite the committed copies.
 */
class CrdYamlTest {

    static final List<String> FILES = List.of("llmgateways.tollgate.dev-v1.yml", "modelroutes.tollgate.dev-v1.yml",
            "teambudgets.tollgate.dev-v1.yml", "virtualkeys.tollgate.dev-v1.yml");

    private final Path root = Path.of(System.getProperty("tollgate.root", ".."));
    private final Path generated = Path.of("target/classes/META-INF/fabric8");

    @Test
    void buildGeneratesOneCrdPerKind() throws IOException {
        try (Stream<Path> files = Files.list(generated)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactlyElementsOf(FILES);
        }
    }

    @Test
    void reorderingChangesNothingButTheOrderOfPrinterColumns() throws IOException {
        for (String file : FILES) {
            String plain = Files.readString(generated.resolve(file));
            String ordered = CrdPostProcessing.orderPrinterColumns(plain);

            assertThat(ordered.lines().sorted()).as(file).containsExactlyElementsOf(plain.lines().sorted().toList());
            assertThat(ordered.replaceAll("(?s)additionalPrinterColumns:.*?\n    name:", ""))
                    .as(file).isEqualTo(plain.replaceAll("(?s)additionalPrinterColumns:.*?\n    name:", ""));
        }
    }

    @Test
    void committedCrdsMatchTheGeneratedOnes() throws IOException {
        for (Path target : List.of(root.resolve("crds"), root.resolve("helm/tollgate/files/crds"))) {
            for (String file : FILES) {
                String fresh = CrdPostProcessing.apply(Files.readString(generated.resolve(file)));
                if (Boolean.getBoolean("tollgate.crds.update")) {
                    Files.createDirectories(target);
                    Files.writeString(target.resolve(file), fresh);
                }
                assertThat(target.resolve(file)).as("%s is stale: rebuild with -Dtollgate.crds.update=true", target.resolve(file))
                        .exists().hasContent(fresh);
            }
        }
    }
}
