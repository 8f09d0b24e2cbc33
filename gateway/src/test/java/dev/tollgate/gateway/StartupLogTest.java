package dev.tollgate.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.testing.CapturedLogs;
import dev.tollgate.gateway.testing.TestGateways;
import dev.tollgate.gateway.tracing.RequestTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The INFO block a started gateway logs, captured from logback. */
class StartupLogTest {

    @TempDir
    Path dir;
    private final Logger logger = (Logger) LoggerFactory.getLogger(StartupLog.class);
    private Level previous;

    @BeforeEach
    void logAtInfo() {
        previous = logger.getLevel();
        logger.setLevel(Level.INFO); // the test logback config quiets it for every other test's gateways
    }

    @AfterEach
    void restore() {
        logger.setLevel(previous);
    }

    @Test
    void startedGatewaySaysWhereTheLedgerIsWhichPortServesWhatAndWhatIsProtected() {
        String yaml = TestGateways.gatewayBlock(dir) + """
                  contentLogging: redacted
                  security: { managementPort: 0 }
                routes:
                  - model: m
                    backends: [{ name: b, provider: mock, model: mock-1 }]
                """;
        List<ILoggingEvent> events;
        int api;
        int management;
        try (CapturedLogs logs = new CapturedLogs();
             Gateway gateway = Gateway.start(TestGateways.parse(yaml, Map.of()), Clock.systemUTC(), RequestTracer.OFF)) {
            api = gateway.port();
            management = gateway.managementPort();
            events = logs.events().stream().filter(e -> e.getLoggerName().equals(StartupLog.class.getName())).toList();
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .contains("ledger: SQLite " + dir.resolve("ledger.db").toAbsolutePath())
                    .contains("crash journal in " + dir.resolve("ledger.db.spill").toAbsolutePath())
                    .contains("API: 127.0.0.1:" + api + " (/v1/chat/completions")
                    .contains("/admin/*, /metrics on management port " + management + " only")
                    .contains("admin endpoints: protected by the admin key")
                    .contains("metrics: unauthenticated, reachable only on the management port " + management)
                    .contains("tracing: off")
                    .contains("content logging: redacted")
                    .doesNotContain("sk-tg-admin-test-key");
        });
    }

    @Test
    void gatewayWithoutAdminKeyOrManagementPortSaysSo() {
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  database: { url: "jdbc:sqlite:%s" }
                routes:
                  - model: m
                    backends: [{ name: b, provider: mock, model: mock-1 }]
                """.formatted(dir.resolve("l.db").toString().replace('\\', '/'));
        String message;
        try (CapturedLogs logs = new CapturedLogs();
             Gateway gateway = Gateway.start(TestGateways.parse(yaml, Map.of()), Clock.systemUTC(), RequestTracer.OFF)) {
            message = logs.events().stream().filter(e -> e.getLoggerName().equals(StartupLog.class.getName()))
                    .findFirst().orElseThrow().getFormattedMessage();
            assertThat(message).contains("metrics: refused on the API port: no admin key is set");
        }
        assertThat(message).contains("admin endpoints: disabled: no admin key is set");
    }

    @Test
    void postgresLedgerIsNamedByHostAndDatabaseNeverByPassword() {
        String shown = StartupLog.ledger(new DatabaseSettings(
                "jdbc:postgresql://db.internal:5433/tollgate?password=hunter2&sslmode=require", "gateway", "s3cret", 4));
        assertThat(shown).isEqualTo("PostgreSQL db.internal:5433/tollgate as user gateway");
    }
}
