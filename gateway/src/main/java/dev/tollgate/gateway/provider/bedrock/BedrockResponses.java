package dev.tollgate.gateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;

/** Bedrock Converse stop reasons, usage and errors → OpenAI's shapes. */
final class BedrockResponses {

    private BedrockResponses() {
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    /** Bedrock's {@code inputTokens} excludes cache reads and writes; OpenAI's prompt tokens include both. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return Usage.ofUncachedInput(u.path("inputTokens").asLong(0), u.path("outputTokens").asLong(0),
                u.path("cacheReadInputTokens").asLong(0), u.path("cacheWriteInputTokens").asLong(0));
    }

    /**
     * An error answer: the type is in {@code x-amzn-ErrorType} (e.g. {@code ValidationException:http://...}) or, in a
     * stream, in {@code :exception-type}; the body is {@code {"message": "..."}}.
     */
    static UpstreamException error(String backend, int status, Duration retryAfter, String errorType, byte[] body) {
        String message = null;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            message = json.path("message").asText(json.path("Message").asText(null));
        } catch (Exception ignored) {
            // not JSON: the status alone decides
        }
        String type = errorType == null ? "" : errorType.split(":", 2)[0];
        UpstreamErrors.Hint hint = switch (type) {
            case "ThrottlingException", "throttlingException", "ModelNotReadyException" -> UpstreamErrors.Hint.RATE_LIMITED;
            case "ServiceUnavailableException", "serviceUnavailableException", "InternalServerException", "internalServerException",
                 "ModelStreamErrorException", "modelStreamErrorException", "ModelTimeoutException" -> UpstreamErrors.Hint.OVERLOADED;
            default -> UpstreamErrors.mentionsContextWindow(message) ? UpstreamErrors.Hint.CONTEXT_WINDOW : UpstreamErrors.Hint.NONE;
        };
        return UpstreamErrors.map(backend, status, retryAfter, message, hint);
    }
}
