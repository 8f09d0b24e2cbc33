package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Spill and journal lines keep every part of a row, attribution included, and still read lines written before it. */
class LedgerLinesTest {

    @TempDir
    Path dir;

    @Test
    void everyPartOfARowRoundTrips() throws Exception {
        Instant t = Instant.parse("2026-12-05T08:00:00.123Z");
        LedgerEntry full = new LedgerEntry("req-1", null, new LedgerEntry.Who("key", "team"),
                new LedgerEntry.What("chat", "gpt", "b", "openai", "gpt-4.1", true),
                new LedgerEntry.Timing(t, t.plusMillis(40), t.plusMillis(900)), new Usage(100, 20, 64, 8, false),
                new BigDecimal("0.000123456789"), new LedgerEntry.Outcome(200, null),
                new LedgerEntry.Attribution("user-17", List.of("nightly", "title=a, \"b\"")));
        LedgerEntry sparse = new LedgerEntry("req-1-attempt-1", "req-1", new LedgerEntry.Who("key", null),
                new LedgerEntry.What("chat", "gpt", null, null, null, false), new LedgerEntry.Timing(t, null, null),
                new Usage(0, 0, 0, 0, true), new BigDecimal("0"), new LedgerEntry.Outcome(502, "upstream_error"), null);
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, LedgerLines.encode(List.of(full, sparse)));

        assertThat(LedgerLines.read(file)).containsExactly(full, sparse);
    }

    @Test
    void aLineWrittenBeforeAttributionReadsWithNone() throws Exception {
        Path file = dir.resolve("old.jsonl");
        Files.writeString(file, """
                {"requestId":"req-old","parentRequestId":null,"endpoint":"chat","startedAt":"2026-11-27T00:00:00Z",\
                "firstTokenAt":null,"endedAt":"2026-11-27T00:00:01Z","keyName":"key","team":null,"requestedModel":"m",\
                "backend":"b","provider":"mock","upstreamModel":"m","promptTokens":10,"completionTokens":5,\
                "cachedTokens":0,"reasoningTokens":0,"costUsd":"0.000001","status":200,"errorType":null,\
                "streamed":false,"estimated":false}
                """, StandardCharsets.UTF_8);

        List<LedgerEntry> rows = LedgerLines.read(file);

        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().attribution()).isEqualTo(LedgerEntry.Attribution.NONE);
        assertThat(rows.getFirst().tokens().promptTokens()).isEqualTo(10);
    }
}
