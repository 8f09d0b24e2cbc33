package dev.tollgate.gateway.ledger.spill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Both kinds of journal segment keep exactly the rows appended; a mapped one is unmapped the moment it closes. */
class JournalSegmentTest {

    @TempDir
    Path dir;

    private static byte[] row(int i) {
        return ("{\"requestId\":\"req-" + i + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void appendAndClose(JournalSegment segment, int rows) throws IOException {
        for (int i = 0; i < rows; i++) {
            assertThat(segment.append(row(i))).isTrue();
            if (i % 100 == 0) {
                segment.force();
            }
        }
        segment.close();
        segment.force(); // after close: nothing to do, no failure
    }

    private static String expected(int rows) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            s.append(new String(row(i), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    @Test
    void aWrittenSegmentHoldsExactlyItsRows() throws IOException {
        Path file = dir.resolve("w.journal");
        appendAndClose(WrittenJournalSegment.create(file), 1_000);
        assertThat(Files.readString(file)).isEqualTo(expected(1_000));
    }

    @Test
    void aMappedSegmentIsCutToItsRowsAndRefusesARowThatDoesNotFit() throws IOException {
        assumeTrue(MappedJournalSegment.AVAILABLE, "the runtime has no Arena (JDK 21)");
        Path file = dir.resolve("m.journal");
        JournalSegment segment = MappedJournalSegment.create(file, 4096);
        byte[] big = new byte[4000];
        java.util.Arrays.fill(big, (byte) 'x');
        assertThat(segment.append(big)).isTrue();
        assertThat(segment.append(big)).as("4,000 more bytes do not fit in 4,096").isFalse();
        segment.close();
        assertThat(Files.size(file)).isEqualTo(4000);

        Path second = dir.resolve("m2.journal");
        appendAndClose(MappedJournalSegment.create(second, JournalSegment.MAPPED_BYTES), 1_000);
        assertThat(Files.readString(second)).isEqualTo(expected(1_000));
    }

    @Test
    void aClosedMappedSegmentIsNoLongerMapped() throws IOException {
        assumeTrue(MappedJournalSegment.AVAILABLE, "the runtime has no Arena (JDK 21)");
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "Linux only");
        Path file = dir.resolve("unmapped.journal");
        JournalSegment segment = MappedJournalSegment.create(file, JournalSegment.MAPPED_BYTES);
        segment.append(row(1));
        assertThat(mappingsOf(maps, file)).as("mapped while open").isNotEmpty();

        segment.close();

        // no garbage collection needed: the mapping's own arena is closed
        assertThat(mappingsOf(maps, file)).isEmpty();
    }

    private static List<String> mappingsOf(Path maps, Path file) throws IOException {
        return Files.readAllLines(maps).stream().filter(l -> l.endsWith(file.toString())).toList();
    }
}
