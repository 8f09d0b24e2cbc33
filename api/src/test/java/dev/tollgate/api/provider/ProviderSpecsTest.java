package dev.tollgate.api.provider;

import dev.tollgate.api.crd.ProviderIds;
import dev.tollgate.api.provider.ProviderSpec.Auth;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every list of providers outside {@link ProviderSpecs} (the CRD's CEL rule, docs/providers.md) says the same. */
class ProviderSpecsTest {

    private static final Path ROOT = Path.of(System.getProperty("tollgate.root", ".."));

    @Test
    void crdCelRuleListsExactlyTheSpecs() {
        Matcher m = Pattern.compile("'([^']+)'").matcher(ProviderIds.rule());
        List<String> ids = m.results().map(r -> r.group(1)).toList();
        assertThat(ids).doesNotHaveDuplicates()
                .containsExactlyElementsOf(ProviderSpecs.ALL.stream().map(ProviderSpec::id).toList());
    }

    @Test
    void docsCatalogTableIsTheCatalogSpecs() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/providers.md"));
        String section = doc.substring(doc.indexOf("## OpenAI-compatible catalog"));
        List<String> rows = section.lines().filter(l -> l.startsWith("| `")).toList();
        List<String> expected = ProviderSpecs.CATALOG.stream().map(ProviderSpecsTest::catalogRow).toList();
        assertThat(rows).as("docs/providers.md's catalog table; expected:%n%s", String.join("\n", expected))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void docsNativeTableListsEveryNativeSpec() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/providers.md"));
        String section = doc.substring(doc.indexOf("## Native providers"), doc.indexOf("## OpenAI-compatible catalog"));
        List<String> ids = section.lines().filter(l -> l.startsWith("| `"))
                .map(l -> l.substring(3, l.indexOf('`', 3))).toList();
        assertThat(ids).containsExactlyElementsOf(ProviderSpecs.NATIVE.stream().map(ProviderSpec::id).toList());
    }

    @Test
    void idsAreUniqueAndFitTheCrdPattern() {
        List<String> ids = ProviderSpecs.ALL.stream().map(ProviderSpec::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("^[a-z][-a-z0-9]{0,31}$"));
        assertThat(ProviderSpecs.CATALOG).hasSizeGreaterThanOrEqualTo(30);
    }

    private static String catalogRow(ProviderSpec spec) {
        String auth = spec.auth() == Auth.OPTIONAL_BEARER ? "Bearer, only when `apiKey` is set (self-hosted)" : "`Authorization: Bearer <apiKey>`";
        return "| `" + spec.id() + "` | " + spec.name() + " | `" + spec.defaultBaseUrl() + "` | " + auth + " |";
    }

}
