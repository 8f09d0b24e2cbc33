package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubectl get} shows the columns docs/crds.md lists, in its order (Ready first, Age last), wide ones in -o wide only. */
class PrinterColumnsTest {

    private static final Path ROOT = Path.of(System.getProperty("tollgate.root", ".."));
    private static final Pattern KIND = Pattern.compile("(\\w+) \\(");
    private static final Pattern COLUMNS = Pattern.compile("Printer columns: ([^.]+)\\.");

    @Test
    void everyKindShowsItsColumnsInTheOrderDocsCrdsMdLists() throws IOException {
        Map<String, List<String>> documented = documentedColumns();

        assertThat(documented.keySet()).containsExactlyInAnyOrder("LLMGateway", "ModelRoute", "VirtualKey", "TeamBudget");
        documented.forEach((kind, columns) -> assertThat(committedColumns(kind)).as(kind).containsExactlyElementsOf(columns));
    }

    @Test
    void documentedOrderReadsAsKubectlUsersExpect() throws IOException {
        assertThat(documentedColumns()).allSatisfy((kind, columns) ->
                assertThat(columns).as(kind).startsWith("Ready").endsWith("Age"));
    }

    /** Kind → column names as {@code kubectl get} prints them, wide ones marked {@code (wide)}. */
    private static Map<String, List<String>> documentedColumns() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String section : Files.readString(ROOT.resolve("docs/crds.md")).split("\n## ")) {
            Matcher kind = KIND.matcher(section);
            Matcher columns = COLUMNS.matcher(section.replaceAll("\\s+", " "));
            if (kind.lookingAt() && columns.find()) {
                out.put(kind.group(1), names(columns.group(1)));
            }
        }
        return out;
    }

    /** "Ready, Spend, Secret and Hint (wide), Age" → Ready, Spend, Secret (wide), Hint (wide), Age. */
    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        for (String item : list.split(", ")) {
            boolean wide = item.endsWith(" (wide)");
            for (String name : item.replace(" (wide)", "").split(" and ")) {
                out.add(wide ? name + " (wide)" : name);
            }
        }
        return out;
    }

    private static List<String> committedColumns(String kind) {
        String plural = kind.toLowerCase() + "s";
        try {
            JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("crds/" + plural + ".tollgate.dev-v1.yml").toFile());
            List<String> out = new ArrayList<>();
            crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c ->
                    out.add(c.path("name").asText() + (c.path("priority").asInt() > 0 ? " (wide)" : "")));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
