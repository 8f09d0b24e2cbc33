package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.testing.RawHttp;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a management port, no spelling of {@code /metrics} or {@code /admin} reaches them on the API port, and every
 * method on {@code /admin} needs the admin key.
 */
class ManagementPortSplitTest {

    private static final String ADMIN = "Authorization: Bearer sk-tg-admin-test-key\r\n";
    private static final String APP = "Authorization: Bearer sk-tg-app-key-1234\r\n";

    @TempDir
    static Path dir;
    static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                  security: { managementPort: 0, authFailuresPerMinute: 0 }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m } ]
                keys:
                  - { name: app, key: sk-tg-app-key-1234 }
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawHttp.Response send(int port, String method, String path, String headers) throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            return http.send(RawHttp.request(method, path, headers, null));
        }
    }

    private static void assertRefusedWithJson(RawHttp.Response r, String what) throws Exception {
        assertThat(r.status()).as(what + ": " + r.body()).isBetween(400, 499).isNotEqualTo(401).isNotEqualTo(403);
        assertThat(r.body()).as(what).doesNotContain("tollgate_").doesNotContain("spend_report");
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertThat(error).as(what + ": " + r.body()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/metrics/", "/metrics//", "//metrics", "///metrics/", "/METRICS", "/Metrics/",
            "/./metrics", "/metrics/.", "/admin/../metrics", "/v1/../metrics", "/health/../metrics", "/%6detrics", "/%6Detrics",
            "/%2fmetrics", "/metrics%2f", "/%2e/metrics", "/%252e/metrics", "/metrics;x=1", "/metrics?format=text"})
    void metricsInAnySpellingIsNotServedOnTheApiPort(String path) throws Exception {
        assertRefusedWithJson(send(gateway.port(), "GET", path, ""), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/spend", "/admin/spend/", "//admin/spend", "/admin//spend", "/ADMIN/spend", "/Admin/Spend/",
            "/v1/../admin/spend", "/health/../admin/spend", "/%61dmin/spend", "/admin/%73pend", "/./admin/spend", "/admin"})
    void adminInAnySpellingIsNotServedOnTheApiPortEvenWithTheAdminKey(String path) throws Exception {
        for (String method : new String[] {"GET", "HEAD", "POST", "OPTIONS"}) {
            RawHttp.Response r = send(gateway.port(), method, path, ADMIN);
            if (method.equals("HEAD")) {
                assertThat(r.status()).as(method + " " + path).isBetween(400, 499).isNotEqualTo(401);
            } else {
                assertRefusedWithJson(r, method + " " + path);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    void everyMethodOnAdminNeedsTheAdminKey(String method) throws Exception {
        int management = gateway.managementPort();
        assertThat(send(management, method, "/admin/spend", "").status()).as(method + " without a key").isEqualTo(401);
        assertThat(send(management, method, "/admin/spend", "Authorization: Bearer sk-tg-wrong\r\n").status()).as(method + " wrong key").isEqualTo(401);
        assertThat(send(management, method, "/admin/spend", APP).status()).as(method + " with a virtual key").isEqualTo(403);
        assertThat(send(management, method, "/ADMIN/spend/", "").status()).as(method + " upper case, no key").isEqualTo(401);
        int withAdminKey = send(management, method, "/admin/spend", ADMIN).status();
        assertThat(withAdminKey).as(method + " with the admin key").isIn(200, 405);
    }

    @Test
    void metricsAndHealthStillAnswerWhereTheyBelong() throws Exception {
        assertThat(send(gateway.managementPort(), "GET", "/metrics", "").body()).contains("tollgate_");
        assertThat(send(gateway.managementPort(), "GET", "/metrics/", "").status()).isEqualTo(200);
        assertThat(send(gateway.port(), "GET", "/health/liveness", "").status()).isEqualTo(200);
        assertThat(send(gateway.managementPort(), "GET", "/health/liveness", "").status()).isEqualTo(200);
        assertThat(send(gateway.port(), "GET", "/v1/models", APP).status()).isEqualTo(200);
        assertThat(send(gateway.managementPort(), "GET", "/v1/models", APP).status()).isEqualTo(404);
    }
}
