package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Another connection holding SQLite's write lock: the ledger's writes fail after its busy timeout. */
record SqliteLock(Connection connection) implements AutoCloseable {

    static SqliteLock take(LedgerDatabase db) throws Exception {
        String url;
        try (Connection c = db.dataSource().getConnection()) {
            url = c.getMetaData().getURL();
        }
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return new SqliteLock(connection);
    }

    @Override
    public void close() throws Exception {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        }
        connection.close();
    }
}
