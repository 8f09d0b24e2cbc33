package dev.tollgate.gateway.ledger.spill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test look-ups into a spill directory. */
final class SpillFiles {

    private SpillFiles() {
    }

    /** Rows in the active spill file and in files waiting for replay. */
    static int rows(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int rows = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl") || f.toString().endsWith(".replay")).toList()) {
                rows += LedgerLines.read(f).size();
            }
        }
        return rows;
    }
}
