package dev.tollgate.gateway.ledger.spill;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The journal file rows are appended to. Appends come one at a time (under the journal's lock); {@link #force} may run
 * on another thread meanwhile, and after {@link #close} it does nothing.
 */
interface JournalSegment {

    /** Size of a mapped segment; rows are a few hundred bytes. Disk blocks are used only as rows are written. */
    int MAPPED_BYTES = 8 * 1024 * 1024;

    /**
     * A new segment file with room for at least {@code minBytes}: mapped into memory where the runtime can unmap a
     * file at once (JDK 22 and later), written with {@code write} otherwise.
     */
    static JournalSegment create(Path file, int minBytes) throws IOException {
        return MappedJournalSegment.AVAILABLE
                ? MappedJournalSegment.create(file, Math.max(MAPPED_BYTES, minBytes))
                : WrittenJournalSegment.create(file);
    }

    /** Appends one encoded row; false, with nothing written, when the segment has no room left for it. */
    boolean append(byte[] row) throws IOException;

    /** Forces the appended rows to disk. */
    void force() throws IOException;

    /** Forces the rows to disk, cuts the file to them and releases it. */
    void close() throws IOException;
}
