package dev.tollgate.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A real PostgreSQL (embedded) on a port and data directory of its own, which a test stops and starts again: an outage
 * as the gateway sees it (connections refused, then a server with the same data). Created stopped; the port is
 * reserved only in the sense that it was free when chosen.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    /** A stopped server that will keep its data in {@code dataDirectory}. */
    public RestartablePostgres(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        this.port = ChildGateway.freePort();
    }

    /** JDBC URL of its {@code postgres} database as user {@code postgres}, answered or not. */
    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    /** The same URL on another port (a proxy in front of this server). */
    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    public RestartablePostgres start() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port).start();
        return this;
    }

    /** Stops the server: open connections are cut, new ones refused. */
    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The {@code postgres} database of the running server. */
    public DataSource database() {
        if (server == null) {
            throw new IllegalStateException("the server is stopped");
        }
        return server.getPostgresDatabase();
    }

    /** The first column of every row {@code sql} returns. */
    public List<String> column(String sql) throws SQLException {
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
