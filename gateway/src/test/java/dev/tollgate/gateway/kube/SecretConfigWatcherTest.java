package dev.tollgate.gateway.kube;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** In cluster mode the gateway follows its config Secret through the API: a suspended key is refused within 2 s. */
@EnableKubernetesMockClient(crud = true, https = false)
class SecretConfigWatcherTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private String config(boolean suspended) {
        return TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: m
                    backends: [{ name: mock, provider: mock, model: mock-1 }]
                keys:
                  - { name: team-a/app, key: sk-tg-cluster-key-1, suspended: %s }
                """.formatted(suspended);
    }

    private Secret secret(String yaml) {
        return new SecretBuilder().withNewMetadata().withName("gw-config").withNamespace("platform").endMetadata()
                .withStringData(Map.of("config.yaml", yaml)).build();
    }

    @Test
    void suspendingAKeyInTheSecretRefusesItWithinTwoSeconds() {
        client.secrets().inNamespace("platform").resource(secret(config(false))).create();
        try (Gateway gateway = TestGateways.start(config(false)).watchSecret(client, "platform", "gw-config", "config.yaml", Map.<String, String>of()::get)) {
            Http http = new Http(gateway.port());
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            assertThat(http.post("/v1/chat/completions", "sk-tg-cluster-key-1", body).statusCode()).isEqualTo(200);

            client.secrets().inNamespace("platform").resource(secret(config(true))).update();

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.post("/v1/chat/completions", "sk-tg-cluster-key-1", body).statusCode() == 401);
            assertThat(http.post("/v1/chat/completions", "sk-tg-cluster-key-1", body).body()).contains("suspended");
        }
    }

    @Test
    void anInvalidSnapshotIsIgnored() {
        client.secrets().inNamespace("platform").resource(secret(config(false))).create();
        try (Gateway gateway = TestGateways.start(config(false)).watchSecret(client, "platform", "gw-config", "config.yaml", Map.<String, String>of()::get)) {
            Http http = new Http(gateway.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/metrics", "sk-tg-admin-test-key").body().contains("tollgate_config_reloads_total{result=\"success\"} 1.0"));

            client.secrets().inNamespace("platform").resource(secret("routes: [ { model: broken } ]")).update();

            await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/metrics", "sk-tg-admin-test-key").body().contains("tollgate_config_reloads_total{result=\"failure\"} 1.0"));
            assertThat(http.post("/v1/chat/completions", "sk-tg-cluster-key-1",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").statusCode()).isEqualTo(200);
        }
    }
}
