package dev.tollgate.operator;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's health and metrics endpoints, before the operator has started (so not ready). */
class OperatorHttpTest {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessIsUpReadinessWaitsForTheInformersAndMetricsArePrometheusText() throws Exception {
        TollgateOperator notStarted = new TollgateOperator();
        try (OperatorHttp http = OperatorHttp.start(notStarted, 0)) {
            assertThat(get(http.port(), "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(http.port(), "/readyz").statusCode()).isEqualTo(503);
            HttpResponse<String> metrics = get(http.port(), "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("tollgate_operator_healthy 0.0");
        }
    }
}
