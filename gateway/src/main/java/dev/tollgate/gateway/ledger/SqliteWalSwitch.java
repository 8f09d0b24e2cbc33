package dev.tollgate.gateway.ledger;

import org.sqlite.SQLiteErrorCode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Puts a SQLite file into WAL journal mode once, before a pool opens it.
 *
 * <p>Switching to WAL needs an exclusive lock, and SQLite answers {@code SQLITE_BUSY} at once, without waiting for
 * the busy timeout, when another process switches the same new file at the same moment (pods starting together).
 * This retries until the wait timeout; once the file is in WAL mode (it stays so), the pool's own
 * {@code journal_mode=WAL} pragma changes nothing and cannot collide.
 */
final class SqliteWalSwitch {

    private static final long RETRY_PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    private SqliteWalSwitch() {
    }

    /**
     * Opens {@code url} and sets WAL journal mode, retrying on {@code SQLITE_BUSY} for at most {@code waitTimeout}.
     *
     * @throws LedgerException if the file cannot be opened or stays locked
     */
    static void apply(String url, Duration waitTimeout) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        while (true) {
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + waitTimeout.toMillis());
                statement.execute("PRAGMA journal_mode = WAL");
                return;
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() - deadline >= 0) {
                    throw new LedgerException("cannot open the SQLite ledger in WAL journal mode", e);
                }
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            }
        }
    }

    private static boolean isBusy(SQLException e) {
        int primaryCode = e.getErrorCode() & 0xFF; // extended codes such as SQLITE_BUSY_RECOVERY keep it low
        return primaryCode == SQLiteErrorCode.SQLITE_BUSY.code || primaryCode == SQLiteErrorCode.SQLITE_LOCKED.code;
    }
}
