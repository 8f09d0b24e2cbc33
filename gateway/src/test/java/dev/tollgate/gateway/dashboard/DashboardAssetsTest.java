package dev.tollgate.gateway.dashboard;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files are served without a key, with a CSP that allows no inline code, on the management port only
 * when one is configured; they hold no data (that needs the admin key, from /admin).
 */
class DashboardAssetsTest {

    @TempDir
    static Path dir;
    static Gateway gateway;
    static Http api;
    static Http management;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                  security: { managementPort: 0 }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m, pricing: { inputPerMillion: 1, outputPerMillion: 1 } } ]
                """);
        api = new Http(gateway.port());
        management = new Http(gateway.managementPort());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/", "/ui/dashboard.js", "/ui/dashboard.css", "/ui/chart.umd.min.js"})
    void filesAreServedWithoutAKeyUnderAStrictPolicy(String path) {
        HttpResponse<String> r = management.get(path, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-security-policy")).hasValue(DashboardAssets.CONTENT_SECURITY_POLICY);
        assertThat(DashboardAssets.CONTENT_SECURITY_POLICY).contains("script-src 'self';").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("etag")).isPresent();
        assertThat(r.headers().firstValue("content-type").orElseThrow())
                .startsWith(path.endsWith(".css") ? "text/css" : path.endsWith(".js") ? "text/javascript" : "text/html");
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() {
        String html = management.get("/ui/", null).body();

        assertThat(html).contains("<script src=\"dashboard.js\"").contains("<script src=\"chart.umd.min.js\"")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style").doesNotContain(" style=")
                .doesNotContainPattern("\\son[a-z]+=");
        assertThat(html).contains("type=\"password\" id=\"admin-key\"").doesNotContainPattern("<input[^>]*\\sname=");
    }

    @Test
    void uiWithoutTrailingSlashRedirectsRelatively() {
        HttpResponse<String> r = management.get("/ui", null);

        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).hasValue("ui/");
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        String etag = management.get("/ui/dashboard.js", null).headers().firstValue("etag").orElseThrow();

        HttpResponse<String> again = management.send(HttpRequest.newBuilder(management.uri("/ui/dashboard.js"))
                .header("If-None-Match", etag).GET().build());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void unknownFilesAreJson404s() {
        HttpResponse<String> r = management.get("/ui/..%2f..%2fetc%2fpasswd", null);
        assertThat(r.statusCode()).isBetween(400, 404);
        assertThat(r.body()).doesNotContain("root:");
        assertThat(management.get("/ui/nothing.js", null).body()).contains("\"error\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/", "/ui", "/UI/", "/ui/dashboard.js", "//ui/index.html", "/v1/../ui/"})
    void theApiPortDoesNotServeTheDashboardWhenAManagementPortIsSet(String path) {
        HttpResponse<String> r = api.get(path, null);

        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).doesNotContain("Tollgate");
    }

    @Test
    void theDataStillNeedsTheAdminKey() {
        assertThat(management.get("/admin/spend", null).statusCode()).isEqualTo(401);
    }
}
