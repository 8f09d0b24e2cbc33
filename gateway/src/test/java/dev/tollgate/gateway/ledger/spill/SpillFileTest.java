package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.usage.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The spill file replays every row, in batches, and tells budgets only about the rows this process spilled. */
class SpillFileTest {

    @TempDir
    Path dir;

    private static List<LedgerEntry> rows(String prefix, int count) {
        Instant t = Instant.parse("2026-11-27T00:00:00Z");
        return IntStream.range(0, count).mapToObj(i -> new LedgerEntry(prefix + i, null, new LedgerEntry.Who("key", "team"),
                new LedgerEntry.What("chat", "m", "b", "mock", "m", false),
                new LedgerEntry.Timing(t.plusMillis(i), null, t.plusMillis(i)), new Usage(10, 5, 0, 0, false),
                new BigDecimal("0.000001"), new LedgerEntry.Outcome(200, null), null)).toList();
    }

    @Test
    void replayStoresEveryRowAndReportsOnlyThoseThisProcessSpilled() throws Exception {
        Path spillDir = dir.resolve("spill");
        new SpillFile(spillDir, new SimpleMeterRegistry()).append(rows("earlier-run-", 3));
        SpillFile spill = new SpillFile(spillDir, new SimpleMeterRegistry());
        spill.countExisting();
        spill.inherit();
        List<LedgerEntry> reported = new CopyOnWriteArrayList<>();
        spill.onReplayed(reported::addAll);
        // more than one replay batch of this run's rows, in two appends
        spill.append(rows("this-run-a-", 700));
        spill.append(rows("this-run-b-", 500));
        assertThat(spill.pendingRows()).isEqualTo(1_203);

        try (LedgerDatabase db = new LedgerDatabase(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("ledger.db"), null, null, 4))) {
            assertThat(spill.replay(new LedgerStore(db))).isEqualTo(1_203);

            assertThat(count(db, "SELECT COUNT(*) FROM ledger")).isEqualTo(1_203);
            assertThat(reported).hasSize(1_200).extracting(LedgerEntry::requestId)
                    .doesNotHaveDuplicates().noneMatch(id -> id.startsWith("earlier-run-"));
            assertThat(spill.pendingRows()).isZero();
            assertThat(spill.hasPending()).isFalse();
            assertThat(spill.replay(new LedgerStore(db))).as("nothing twice").isZero();
        }
    }

    private static long count(LedgerDatabase db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
