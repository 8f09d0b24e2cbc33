package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamException.Kind;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;

import java.net.http.HttpHeaders;
import java.time.Duration;

/** Maps an OpenAI-compatible upstream's error answer to the error the client sees. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    public static UpstreamException map(String backend, int status, HttpHeaders headers, byte[] body) {
        String message = null;
        String code = null;
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            message = error.path("message").isTextual() ? error.get("message").asText() : null;
            code = error.path("code").isTextual() ? error.get("code").asText() : null;
        } catch (Exception ignored) {
            // a non-JSON error body: fall back to the status alone
        }
        Duration retryAfter = UpstreamErrors.retryAfter(headers);
        String detail = message == null ? "HTTP " + status : UpstreamErrors.bounded(message);
        if (status == 429) {
            return new UpstreamException(Kind.RATE_LIMITED, 429, "rate_limit_error", code == null ? "upstream_rate_limited" : code,
                    "Backend '" + backend + "' is rate limited upstream: " + detail, retryAfter);
        }
        if (status >= 500) {
            return new UpstreamException(Kind.SERVER_ERROR, 502, "api_error", "upstream_error",
                    "Backend '" + backend + "' failed upstream (HTTP " + status + "): " + detail, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new UpstreamException(Kind.AUTH, 502, "api_error", "upstream_auth_failed",
                    "Backend '" + backend + "' refused the gateway's credentials (HTTP " + status + "): " + detail, null);
        }
        if ("context_length_exceeded".equals(code) || (message != null && message.contains("context length"))) {
            return new UpstreamException(Kind.CONTEXT_WINDOW, 400, "invalid_request_error", "context_length_exceeded", detail, null);
        }
        if ("content_filter".equals(code) || "content_policy_violation".equals(code)) {
            return new UpstreamException(Kind.CONTENT_POLICY, 400, "invalid_request_error", code, detail, null);
        }
        return new UpstreamException(Kind.CLIENT_ERROR, status == 404 ? 404 : 400, "invalid_request_error", code, detail, null);
    }
}
