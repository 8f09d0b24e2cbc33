package dev.tollgate.gateway.ledger;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The ledger pool as its users see it. While the database is known to be down a connection is refused at once,
 * instead of after the pool's wait timeout (5 s by default), so nothing queues behind a dead database: not the ledger
 * writer (whose queue would fill and make requests wait), not budget refreshes, the content log or an admin report.
 * A connection the pool cannot hand out is reported, which marks the database down until a probe finds it again.
 */
final class FailFastDataSource implements DataSource {

    /** SQLSTATE "connection exception: unable to establish connection". */
    static final String UNABLE_TO_CONNECT = "08001";

    private final DataSource pool;
    private final BooleanSupplier up;
    private final Consumer<SQLException> unavailable;

    /**
     * @param pool        the real pool
     * @param up          whether connections may be asked for
     * @param unavailable told when the pool could not hand out a connection
     */
    FailFastDataSource(DataSource pool, BooleanSupplier up, Consumer<SQLException> unavailable) {
        this.pool = pool;
        this.up = up;
        this.unavailable = unavailable;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!up.getAsBoolean()) {
            throw new SQLTransientConnectionException("the ledger database is unavailable", UNABLE_TO_CONNECT);
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            unavailable.accept(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the ledger pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
