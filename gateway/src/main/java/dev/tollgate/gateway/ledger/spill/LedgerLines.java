package dev.tollgate.gateway.ledger.spill;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.usage.Usage;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ledger rows as JSON lines, the format of spill and journal files. A torn last line (a crash mid-write) is skipped,
 * and so are the zero bytes a killed process leaves after the rows of a mapped journal segment.
 */
final class LedgerLines {

    private LedgerLines() {
    }

    /** One JSON line per row, written with a streaming generator (no tree per row: this runs on the request path). */
    static byte[] encode(List<LedgerEntry> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 400);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (LedgerEntry e : rows) {
                g.writeStartObject();
                g.writeStringField("requestId", e.requestId());
                g.writeStringField("parentRequestId", e.parentRequestId());
                g.writeStringField("endpoint", e.what().endpoint());
                g.writeStringField("startedAt", str(e.timing().startedAt()));
                g.writeStringField("firstTokenAt", str(e.timing().firstTokenAt()));
                g.writeStringField("endedAt", str(e.timing().endedAt()));
                g.writeStringField("keyName", e.who().keyName());
                g.writeStringField("team", e.who().team());
                g.writeStringField("requestedModel", e.what().requestedModel());
                g.writeStringField("backend", e.what().backend());
                g.writeStringField("provider", e.what().provider());
                g.writeStringField("upstreamModel", e.what().upstreamModel());
                g.writeNumberField("promptTokens", e.tokens().promptTokens());
                g.writeNumberField("completionTokens", e.tokens().completionTokens());
                g.writeNumberField("cachedTokens", e.tokens().cachedTokens());
                g.writeNumberField("reasoningTokens", e.tokens().reasoningTokens());
                g.writeStringField("costUsd", e.costUsd().toPlainString());
                g.writeNumberField("status", e.outcome().status());
                g.writeStringField("errorType", e.outcome().errorType());
                g.writeBooleanField("streamed", e.what().streamed());
                g.writeBooleanField("estimated", e.tokens().estimated());
                if (e.attribution().user() != null) {
                    g.writeStringField("user", e.attribution().user());
                }
                if (!e.attribution().tags().isEmpty()) {
                    g.writeArrayFieldStart("tags");
                    for (String tag : e.attribution().tags()) {
                        g.writeString(tag);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("writing to memory cannot fail", ex);
        }
        return out.toByteArray();
    }

    /** Every complete row in the file, in order; zero bytes are dropped and unparsable lines (a torn tail) skipped. */
    static List<LedgerEntry> read(Path file) throws IOException {
        List<LedgerEntry> rows = new ArrayList<>();
        forEachBatch(file, rows::addAll);
        return rows;
    }

    /** Rows in the file (as {@link #read} finds them), counted without holding them. */
    static long count(Path file) throws IOException {
        long[] rows = {0};
        forEachBatch(file, batch -> rows[0] += batch.size());
        return rows[0];
    }

    private static void forEachBatch(Path file, Consumer<List<LedgerEntry>> action) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (Reader reader = new Reader(file)) {
            for (List<LedgerEntry> batch = reader.next(1024); !batch.isEmpty(); batch = reader.next(1024)) {
                action.accept(batch);
            }
        }
    }

    /**
     * Reads a file a few rows at a time, so that replaying the spill of a long outage (a million rows and more) holds
     * one batch in memory, not the file.
     */
    static final class Reader implements AutoCloseable {

        private final BufferedReader lines;

        Reader(Path file) throws IOException {
            // decoded leniently: a character torn by a crash spoils its line only (which is then skipped)
            this.lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        }

        /** The next rows, at most {@code max}; empty at the end of the file. */
        List<LedgerEntry> next(int max) throws IOException {
            List<LedgerEntry> rows = new ArrayList<>(Math.min(max, 1024));
            String line;
            while (rows.size() < max && (line = lines.readLine()) != null) {
                if (line.indexOf('\0') >= 0) {
                    // the unwritten tail of a mapped segment; a zero-filled hole (pages written out of order before a
                    // machine crash) is dropped too, so the rows after it still parse
                    line = line.replace("\0", "");
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(decode(Json.MAPPER.readTree(line)));
                } catch (IOException | RuntimeException torn) {
                    // only the last line can be torn: it was never acknowledged
                }
            }
            return rows;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** A row; {@code user} and {@code tags} are absent in lines written before attribution existed. */
    private static LedgerEntry decode(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(tag -> tags.add(tag.textValue()));
        return new LedgerEntry(text(n, "requestId"), text(n, "parentRequestId"),
                new LedgerEntry.Who(text(n, "keyName"), text(n, "team")),
                new LedgerEntry.What(text(n, "endpoint"), text(n, "requestedModel"), text(n, "backend"), text(n, "provider"),
                        text(n, "upstreamModel"), n.get("streamed").booleanValue()),
                new LedgerEntry.Timing(instant(n, "startedAt"), instant(n, "firstTokenAt"), instant(n, "endedAt")),
                new Usage(n.get("promptTokens").longValue(), n.get("completionTokens").longValue(),
                        n.get("cachedTokens").longValue(), n.get("reasoningTokens").longValue(), n.get("estimated").booleanValue()),
                new BigDecimal(n.get("costUsd").textValue()),
                new LedgerEntry.Outcome(n.get("status").intValue(), text(n, "errorType")),
                new LedgerEntry.Attribution(text(n, "user"), tags));
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.textValue();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }
}
