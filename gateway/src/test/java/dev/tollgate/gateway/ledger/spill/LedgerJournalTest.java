package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The crash journal keeps only what is not stored yet: finished segments go while the gateway runs, not only at exit. */
class LedgerJournalTest {

    @TempDir
    Path dir;

    private static LedgerEntry row(int i) {
        return row(i, "team");
    }

    private static LedgerEntry row(int i, String team) {
        Instant t = Instant.parse("2026-11-27T00:00:00Z").plusMillis(i);
        return new LedgerEntry("req-" + i, null, new LedgerEntry.Who("key", team),
                new LedgerEntry.What("chat", "m", "b", "mock", "m", false),
                new LedgerEntry.Timing(t, null, t), new Usage(10, 5, 0, 0, false),
                new BigDecimal("0.000001"), new LedgerEntry.Outcome(200, null), null);
    }

    private long segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".journal")).count();
        }
    }

    @Test
    void segmentsWhoseRowsAreStoredAreDeletedWhileRunning() throws IOException {
        List<LedgerEntry> handedOn = new ArrayList<>();
        LedgerJournal journal = new LedgerJournal(dir, handedOn::add);
        for (int i = 0; i < 25_000; i++) {
            journal.record(row(i));
        }
        assertThat(segments()).as("10,000 rows a segment").isEqualTo(3);

        journal.done(handedOn.subList(0, 15_000));
        journal.deleteDoneSegments();
        assertThat(segments()).as("the first segment is fully stored, the second only half").isEqualTo(2);

        journal.done(handedOn.subList(15_000, 25_000));
        journal.deleteDoneSegments();
        assertThat(segments()).as("only the active segment stays while running").isEqualTo(1);
        journal.close();
    }

    @Test
    void rowsLeftByAKilledProcessAreRecoveredOnce() throws IOException {
        LedgerJournal journal = new LedgerJournal(dir, row -> { });
        for (int i = 0; i < 12_000; i++) {
            journal.record(row(i));
        }
        // no done(): as if the process died before the writer stored anything
        Path spillDir = dir.resolve("spill");
        SpillFile spill = new SpillFile(spillDir, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        int recovered = LedgerJournal.recover(dir, spill);

        assertThat(recovered).isEqualTo(12_000);
        assertThat(segments()).isZero();
        assertThat(LedgerJournal.recover(dir, spill)).as("nothing twice").isZero();
    }

    @Test
    void aRowThatDoesNotFitTheMappedSegmentStartsANewOneAndNothingIsLost() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(MappedJournalSegment.AVAILABLE, "the runtime has no Arena (JDK 21)");
        String longTeam = "t".repeat(2_000);          // ~2 KB rows: an 8 MiB segment fills before 10,000 rows
        String hugeTeam = "h".repeat(9 * 1024 * 1024); // one row larger than a whole segment
        LedgerJournal journal = new LedgerJournal(dir, row -> { });
        for (int i = 0; i < 5_000; i++) {
            journal.record(row(i, longTeam));
        }
        journal.record(row(5_000, hugeTeam));
        journal.record(row(5_001, "team"));
        assertThat(segments()).as("rolled by size, not by row count").isGreaterThanOrEqualTo(3);
        // no close(): the active segment keeps its zero-filled tail, as after a kill -9

        SpillFile spill = new SpillFile(dir.resolve("spill"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertThat(LedgerJournal.recover(dir, spill)).isEqualTo(5_002);
        List<LedgerEntry> recovered = LedgerLines.read(dir.resolve("spill").resolve("spill.jsonl"));
        assertThat(recovered).extracting(LedgerEntry::requestId).doesNotHaveDuplicates().contains("req-0", "req-4999", "req-5000", "req-5001");
        assertThat(recovered).filteredOn(r -> r.requestId().equals("req-5000")).singleElement()
                .extracting(LedgerEntry::team).isEqualTo(hugeTeam);
    }

    @Test
    void aClosedSegmentIsCutToItsRowsAndATornRowAfterThemIsSkipped() throws IOException {
        LedgerJournal journal = new LedgerJournal(dir, row -> { });
        journal.record(row(1));
        journal.record(row(2));
        journal.close();
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
        }
        String text = Files.readString(segment);
        assertThat(text).as("no zero-filled tail after a clean close").doesNotContain("\0").endsWith("\n");
        // a zero-filled hole between the rows (pages written back out of order before a machine crash), then a
        // third row torn by a crash mid-copy, then the unwritten zero bytes of the mapping
        int secondRow = text.indexOf('\n') + 1;
        Files.writeString(segment, text.substring(0, secondRow) + "\0".repeat(100) + text.substring(secondRow)
                + "{\"requestId\":\"req-3\",\"endp" + "\0".repeat(4096));

        assertThat(LedgerLines.read(segment)).extracting(LedgerEntry::requestId).containsExactly("req-1", "req-2");
    }
}
