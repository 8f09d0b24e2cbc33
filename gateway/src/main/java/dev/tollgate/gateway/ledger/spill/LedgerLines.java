package dev.tollgate.gateway.ledger.spill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.Json;
import dev.tollgate.gateway.ledger.LedgerEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ledger rows as JSON lines, the format of spill and journal files. A torn last line (a crash mid-write) is skipped. */
final class LedgerLines {

    private LedgerLines() {
    }

    static byte[] encode(List<LedgerEntry> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 400);
        for (LedgerEntry e : rows) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("requestId", e.requestId());
            n.put("parentRequestId", e.parentRequestId());
            n.put("endpoint", e.endpoint());
            n.put("startedAt", str(e.startedAt()));
            n.put("firstTokenAt", str(e.firstTokenAt()));
            n.put("endedAt", str(e.endedAt()));
            n.put("keyName", e.keyName());
            n.put("team", e.team());
            n.put("requestedModel", e.requestedModel());
            n.put("backend", e.backend());
            n.put("provider", e.provider());
            n.put("upstreamModel", e.upstreamModel());
            n.put("promptTokens", e.promptTokens());
            n.put("completionTokens", e.completionTokens());
            n.put("cachedTokens", e.cachedTokens());
            n.put("reasoningTokens", e.reasoningTokens());
            n.put("costUsd", e.costUsd().toPlainString());
            n.put("status", e.status());
            n.put("errorType", e.errorType());
            n.put("streamed", e.streamed());
            n.put("estimated", e.estimated());
            out.writeBytes(Json.bytes(n));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Every complete row in the file, in order; unparsable lines (a torn tail) are skipped. */
    static List<LedgerEntry> read(Path file) throws IOException {
        List<LedgerEntry> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
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

    private static LedgerEntry decode(JsonNode n) {
        return new LedgerEntry(text(n, "requestId"), text(n, "parentRequestId"), text(n, "endpoint"),
                instant(n, "startedAt"), instant(n, "firstTokenAt"), instant(n, "endedAt"), text(n, "keyName"),
                text(n, "team"), text(n, "requestedModel"), text(n, "backend"), text(n, "provider"),
                text(n, "upstreamModel"), n.get("promptTokens").longValue(), n.get("completionTokens").longValue(),
                n.get("cachedTokens").longValue(), n.get("reasoningTokens").longValue(),
                new BigDecimal(n.get("costUsd").textValue()), n.get("status").intValue(), text(n, "errorType"),
                n.get("streamed").booleanValue(), n.get("estimated").booleanValue());
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
