package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.testing.ChildGateway;
import dev.tollgate.gateway.testing.LoadClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway in its own JVM, killed with SIGKILL or stopped with SIGTERM mid-load. The ledger flushes only every
 * 2 s, so at the kill most served rows exist only in the journal.
 */
class LedgerSurvivesProcessDeathTest {

    private static final int SENDERS = 8;

    @TempDir
    Path dir;

    private Path config(int port, String chunkDelay) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                gateway:
                  host: 127.0.0.1
                  port: %d
                  database: { url: "jdbc:sqlite:%s" }
                  ledger: { flushInterval: 2s, batchSize: 100000 }
                  security: { shutdownGrace: 20s }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m, mock: { chunkDelay: %s, words: 20 } } ]
                keys:
                  - { name: app, key: sk-tg-load-key-0001 }
                """.formatted(port, dir.resolve("ledger.db").toString().replace('\\', '/'), chunkDelay));
        return file;
    }

    @Test
    void killDashNineMidLoadLosesNoServedRow() throws Exception {
        int port = ChildGateway.freePort();
        Path config = config(port, "0ms");
        Set<String> served;
        try (ChildGateway child = ChildGateway.start(config, port, dir.resolve("run1.log"))) {
            LoadClient load = new LoadClient(port, "sk-tg-load-key-0001", SENDERS);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.served().size() >= 500);
            child.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            load.close();
            served = new HashSet<>(load.served());
        }
        assertThat(Files.list(dir.resolve("ledger.db.spill")).filter(f -> f.toString().endsWith(".journal")).count())
                .as("journal segments left by the killed process").isPositive();
        assertThat(ledgerIds()).as("rows flushed before the kill").hasSizeLessThan(served.size());

        try (ChildGateway restarted = ChildGateway.start(config, port, dir.resolve("run2.log"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledgerIds()).containsAll(served));
            restarted.process().destroy();
            restarted.process().waitFor(30, TimeUnit.SECONDS);
        }
        Set<String> rows = ledgerIds();
        assertThat(rows).containsAll(served);
        // Each sender had at most one request in flight at the kill: journaled, maybe, but never answered.
        assertThat(rows.size()).isBetween(served.size(), served.size() + SENDERS);
    }

    @Test
    void sigtermFinishesInFlightStreamsAndFlushesTheLedger() throws Exception {
        int port = ChildGateway.freePort();
        Path config = config(port, "100ms");
        try (ChildGateway child = ChildGateway.start(config, port, dir.resolve("run.log"))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-tg-load-key-0001").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertThat(events.readLine()).startsWith("data: {"); // the stream is under way (20 chunks, 100 ms apart)
            String streamId = stream.headers().firstValue("x-request-id").orElseThrow();

            LoadClient load = new LoadClient(port, "sk-tg-load-key-0001", 2);
            child.process().destroy(); // SIGTERM
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> events.lines().reduce("", (a, b) -> b.isEmpty() ? a : b));
            assertThat(rest.get(30, TimeUnit.SECONDS)).as("last event of the in-flight stream").isEqualTo("data: [DONE]");
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("process exited").isTrue();
            load.close();

            Set<String> expected = new HashSet<>(load.served());
            expected.add(streamId);
            assertThat(ledgerIds()).isEqualTo(expected);
            assertThat(Files.readString(dir.resolve("run.log"))).doesNotContain("ERROR");
        }
    }

    private Set<String> ledgerIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT request_id FROM ledger")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
