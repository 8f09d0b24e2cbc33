package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChildGateway;
import dev.tollgate.gateway.testing.LoadClient;
import dev.tollgate.gateway.testing.TestGateways;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real PostgreSQL stopped and started again while the gateway serves: every served request has exactly one row. */
class LedgerSurvivesDatabaseRestartTest {

    @TempDir
    Path dir;

    @Test
    void rowsEqualRequestsServedWhenPostgresRestartsMidLoad() throws Exception {
        Path data = dir.resolve("pgdata");
        int pgPort = ChildGateway.freePort();
        EmbeddedPostgres pg = postgres(data, pgPort);
        Gateway gateway = null;
        try {
            gateway = TestGateways.start("""
                    gateway:
                      host: 127.0.0.1
                      port: 0
                      database: { url: "jdbc:postgresql://127.0.0.1:%d/postgres?user=postgres", maxPoolSize: 4 }
                      ledger: { flushInterval: 50ms, batchSize: 100, spillDirectory: "%s" }
                    routes:
                      - model: m
                        backends: [ { name: mock, provider: mock, model: m } ]
                    keys:
                      - { name: app, key: sk-tg-load-key-0001 }
                    """.formatted(pgPort, dir.resolve("spill").toString().replace('\\', '/')));
            LoadClient load = new LoadClient(gateway.port(), "sk-tg-load-key-0001", 8);
            await().atMost(Duration.ofSeconds(30)).until(() -> load.served().size() >= 300);

            pg.close(); // the database goes away mid-load
            int servedWhileDown = load.served().size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.served().size() >= servedWhileDown + 500);
            await().atMost(Duration.ofSeconds(30)).until(() -> SpillFiles.rows(dir.resolve("spill")) > 0);

            pg = postgres(data, pgPort); // and comes back
            int servedAfter = load.served().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.served().size() >= servedAfter + 300);
            load.close();

            DataSource db = pg.getPostgresDatabase();
            Set<String> served = new HashSet<>(load.served());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(requestIds(db)).isEqualTo(served));
            assertThat(load.otherStatus()).isZero();
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            pg.close();
        }
    }

    static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    static Set<String> requestIds(DataSource db) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT request_id FROM ledger")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
