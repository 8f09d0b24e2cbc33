package dev.tollgate.gateway.testing;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.gateway.Gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Starts real gateways for tests from YAML text, on a free port, with a SQLite ledger in a temp folder. */
public final class TestGateways {

    private TestGateways() {
    }

    /** The YAML of a gateway block on a free port with the ledger in {@code dir}; append routes/keys/teams. */
    public static String gatewayBlock(Path dir) {
        return """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  adminKey: sk-tg-admin-test-key
                  database:
                    url: jdbc:sqlite:%s
                  ledger:
                    flushInterval: 50ms
                """.formatted(dir.resolve("ledger.db").toString().replace('\\', '/'));
    }

    public static GatewayConfig parse(String yaml, Map<String, String> env) {
        return Gateway.loader(env::get).parse(yaml);
    }

    public static Gateway start(String yaml) {
        return Gateway.start(parse(yaml, Map.of()), Clock.systemUTC());
    }

    /** Deletes a folder a class-wide gateway kept its ledger in (JUnit's {@code @TempDir} is for a test's own files). */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
