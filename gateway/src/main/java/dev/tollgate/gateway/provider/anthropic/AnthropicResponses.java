package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Anthropic Messages answers, usage and errors → OpenAI's shapes. */
final class AnthropicResponses {

    private AnthropicResponses() {
    }

    static OpenAiChat.Choice choice(JsonNode message) {
        StringBuilder text = new StringBuilder();
        List<OpenAiChat.ToolCall> calls = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new OpenAiChat.ToolCall(block.path("id").asText(), block.path("name").asText(),
                        OpenAiChat.arguments(block.get("input"))));
                default -> {
                    // thinking and server-tool blocks have no OpenAI chat equivalent
                }
            }
        }
        return new OpenAiChat.Choice(0, text.toString(), calls, finishReason(message.path("stop_reason").asText(null)));
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic's {@code input_tokens} excludes cache reads and writes; OpenAI's prompt tokens include both.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return Usage.ofUncachedInput(u.path("input_tokens").asLong(0), u.path("output_tokens").asLong(0),
                u.path("cache_read_input_tokens").asLong(0), u.path("cache_creation_input_tokens").asLong(0));
    }

    static UpstreamException error(String backend, int status, Duration retryAfter, byte[] body) {
        String type = null;
        String message = null;
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            type = error.path("type").asText(null);
            message = error.path("message").asText(null);
        } catch (Exception ignored) {
            // not JSON: the status alone decides
        }
        return error(backend, status, retryAfter, type, message);
    }

    static UpstreamException error(String backend, int status, Duration retryAfter, String type, String message) {
        UpstreamErrors.Hint hint = UpstreamErrors.Hint.NONE;
        if ("overloaded_error".equals(type) || "api_error".equals(type)) {
            hint = UpstreamErrors.Hint.OVERLOADED;
        } else if ("rate_limit_error".equals(type)) {
            hint = UpstreamErrors.Hint.RATE_LIMITED;
        } else if (message != null && message.toLowerCase(Locale.ROOT).contains("prompt is too long")) {
            hint = UpstreamErrors.Hint.CONTEXT_WINDOW;
        }
        return UpstreamErrors.map(backend, status, retryAfter, message, hint);
    }
}
