package dev.tollgate.gateway.config;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A changed file is swapped in whole; a broken one is refused and the old configuration keeps serving. */
class HotReloadTest {

    @TempDir
    Path dir;

    private String config(String keyName, String key) {
        return TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: m
                    backends: [{ name: mock, provider: mock, model: mock-1 }]
                keys:
                  - { name: %s, key: %s }
                """.formatted(keyName, key);
    }

    /**
     * Writes the new content beside the file and renames it over, as editors and Kubernetes do: writing in place let the
     * watcher read a half-written file on a busy machine, count a failed reload, and break the counts below.
     */
    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void goodFileIsSwappedInAndBadFileIsRefused() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, config("first", "sk-tg-first-key-1"));
        try (Gateway gateway = Gateway.start(file, Map.<String, String>of()::get, Clock.systemUTC(), Duration.ofMillis(50))) {
            Http http = new Http(gateway.port());
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            assertThat(http.post("/v1/chat/completions", "sk-tg-first-key-1", body).statusCode()).isEqualTo(200);

            replace(file, config("second", "sk-tg-second-key-2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> http.post("/v1/chat/completions", "sk-tg-second-key-2", body).statusCode() == 200);
            assertThat(http.post("/v1/chat/completions", "sk-tg-first-key-1", body).statusCode()).isEqualTo(401);
            long version = gateway.config().current().version();

            replace(file, config("third", "sk-tg-third-key-3").replace("provider: mock", "provider: no-such-provider"));
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/metrics", "sk-tg-admin-test-key").body()
                    .contains("tollgate_config_reloads_total{result=\"failure\"} 1.0"));
            assertThat(gateway.config().current().version()).isEqualTo(version);
            assertThat(http.post("/v1/chat/completions", "sk-tg-second-key-2", body).statusCode()).isEqualTo(200);
            assertThat(http.get("/metrics", "sk-tg-admin-test-key").body()).contains("tollgate_config_reloads_total{result=\"success\"} 1.0");
        }
    }
}
