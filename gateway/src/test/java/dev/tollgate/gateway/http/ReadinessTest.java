package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness fails for what keeps this pod from serving safely, and says which check failed. */
class ReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void journalDirectoryThatTakesNoFilesMakesThePodNotReadyUntilItDoesAgain() throws Exception {
        try (Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: m
                    backends: [{ name: mock, provider: mock, model: mock-1 }]
                """)) {
            Http http = new Http(gateway.port());
            HttpResponse<String> ready = http.get("/health/readiness", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(ready.body());
            assertThat(body.get("status").asText()).isEqualTo("ready");
            assertThat(body.at("/checks/ledgerQueue").asText()).isEqualTo("ok");
            assertThat(body.at("/checks/journalDirectory").asText()).isEqualTo("ok");
            assertThat(body.get("database").asText()).isEqualTo("up");
            assertThat(body.get("spillPendingRows").asLong()).isZero();

            // The volume under the journal is gone and something else took its place (as root, permissions would not stop a write).
            Path journal = dir.resolve("ledger.db.spill");
            deleteTree(journal);
            Files.writeString(journal, "not a directory");
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/readiness", null).statusCode() == 503);
            JsonNode notReady = JSON.readTree(http.get("/health/readiness", null).body());
            assertThat(notReady.get("status").asText()).isEqualTo("not ready");
            assertThat(notReady.at("/checks/journalDirectory").asText()).isEqualTo("failing");
            assertThat(notReady.at("/checks/ledgerQueue").asText()).isEqualTo("ok");

            Files.delete(journal);
            Files.createDirectory(journal);
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/readiness", null).statusCode() == 200);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
