package dev.tollgate.gateway.content;

import dev.tollgate.api.config.ContentSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the redactor over the labelled corpus ({@code redaction/corpus.txt}, made by {@code generate_corpus.py})
 * and reports precision and recall per kind. A found span counts only if kind, start and end all match a label.
 */
class RedactionCorpusTest {

    private static final Pattern LABEL = Pattern.compile("\\[\\[([A-Z_0-9]+)\\|(.*?)]]", Pattern.DOTALL);
    private static final Redactor REDACTOR = new Redactor(List.of(new ContentSettings.RedactPattern("ticket", "TCK-\\d{6}")));

    record Example(String text, Set<Redactor.Match> expected) {
    }

    static final class Score {
        int tp;
        int fp;
        int fn;

        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }
    }

    @Test
    void precisionAndRecallAreAtLeast95PercentForEveryKind() throws IOException {
        List<Example> corpus = load();
        Map<String, Score> scores = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (Example example : corpus) {
            Set<Redactor.Match> found = new HashSet<>(REDACTOR.find(example.text()));
            for (Redactor.Match m : found) {
                Score s = scores.computeIfAbsent(m.kind(), k -> new Score());
                if (example.expected().contains(m)) {
                    s.tp++;
                } else {
                    s.fp++;
                    misses.add("FP " + m.kind() + " '" + example.text().substring(m.start(), m.end()) + "' in: " + example.text());
                }
            }
            for (Redactor.Match m : example.expected()) {
                if (!found.contains(m)) {
                    scores.computeIfAbsent(m.kind(), k -> new Score()).fn++;
                    misses.add("FN " + m.kind() + " '" + example.text().substring(m.start(), m.end()) + "' in: " + example.text());
                }
            }
        }
        misses.forEach(miss -> System.out.println("Redaction corpus miss: " + miss));
        StringBuilder table = new StringBuilder(String.format("%n%-16s %5s %4s %4s %9s %7s%n", "kind", "tp", "fp", "fn", "precision", "recall"));
        scores.forEach((kind, s) -> table.append(String.format("%-16s %5d %4d %4d %9.3f %7.3f%n", kind, s.tp, s.fp, s.fn, s.precision(), s.recall())));
        System.out.println("Redaction corpus: " + corpus.size() + " examples" + table);

        assertThat(scores.keySet()).containsExactlyInAnyOrder("EMAIL", "PHONE", "CARD", "SSN", "IBAN", "IPV4", "IPV6",
                "OPENAI_KEY", "ANTHROPIC_KEY", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN", "STRIPE_KEY", "SLACK_TOKEN",
                "GOOGLE_API_KEY", "HUGGINGFACE_TOKEN", "BEARER_TOKEN", "JWT", "PEM_PRIVATE_KEY", "TICKET");
        scores.forEach((kind, s) -> {
            assertThat(s.precision()).as("precision of %s%s", kind, table).isGreaterThanOrEqualTo(0.95);
            assertThat(s.recall()).as("recall of %s%s", kind, table).isGreaterThanOrEqualTo(0.95);
        });
    }

    @Test
    void redactedTextKeepsTheRestAndNamesTheKind() {
        String text = "Mail anna@example.com, card 4111 1111 1111 1111, key sk-proj-4bcd3fgh1jklmn0pqrstuv.";
        assertThat(REDACTOR.redact(text)).isEqualTo("Mail [REDACTED:EMAIL], card [REDACTED:CARD], key [REDACTED:OPENAI_KEY].");
        assertThat(REDACTOR.redact("OPENAI_API_KEY=sk-proj-YOUR_API_KEY_HERE")).as("a placeholder has no digit").isEqualTo("OPENAI_API_KEY=sk-proj-YOUR_API_KEY_HERE");
        assertThat(REDACTOR.redact("card 4111 1111 1111 1112 fails Luhn")).isEqualTo("card 4111 1111 1111 1112 fails Luhn");
    }

    /** The corpus escapes: {@code \\n} a line break, {@code \\t} a tab, {@code \\\\} a backslash. */
    private static String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static List<Example> load() throws IOException {
        List<Example> examples = new ArrayList<>();
        // -Dredaction.corpus=/tmp/holdout.txt scores another sample (generate_corpus.py with another seed)
        String other = System.getProperty("redaction.corpus");
        try (InputStream in = other != null ? java.nio.file.Files.newInputStream(java.nio.file.Path.of(other))
                : RedactionCorpusTest.class.getResourceAsStream("/redaction/corpus.txt")) {
            assertThat(in).as("corpus resource").isNotNull();
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (raw.isBlank() || raw.startsWith("#")) {
                    continue;
                }
                String line = unescape(raw);
                StringBuilder text = new StringBuilder();
                Set<Redactor.Match> expected = new HashSet<>();
                Matcher m = LABEL.matcher(line);
                int at = 0;
                while (m.find()) {
                    text.append(line, at, m.start());
                    int start = text.length();
                    text.append(m.group(2));
                    expected.add(new Redactor.Match(m.group(1), start, text.length()));
                    at = m.end();
                }
                text.append(line.substring(at));
                examples.add(new Example(text.toString(), expected));
            }
        }
        return examples;
    }
}
