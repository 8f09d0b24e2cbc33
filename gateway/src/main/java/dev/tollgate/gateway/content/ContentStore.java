package dev.tollgate.gateway.content;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** Writes {@link ContentRecord}s to {@code content_log}; a request id already stored is skipped. */
public final class ContentStore {

    private static final String INSERT = """
            INSERT INTO content_log (request_id, created_at, key_name, policy, request, response)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING""";

    private final DataSource dataSource;

    public ContentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insertBatch(List<ContentRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (ContentRecord r : records) {
                    insert.setString(1, r.requestId());
                    insert.setLong(2, r.createdAtMillis());
                    insert.setString(3, r.keyName());
                    insert.setString(4, r.policy().name().toLowerCase(Locale.ROOT));
                    insert.setString(5, r.request());
                    insert.setString(6, r.response());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
