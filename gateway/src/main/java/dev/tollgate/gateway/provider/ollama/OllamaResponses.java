package dev.tollgate.gateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;

/** Ollama answers, done reasons, usage and errors → OpenAI's shapes. */
final class OllamaResponses {

    private OllamaResponses() {
    }

    static String finishReason(String doneReason, boolean toolCalls) {
        if (toolCalls) {
            return "tool_calls";
        }
        return "length".equals(doneReason) ? "length" : "stop";
    }

    /** Ollama's tool calls carry arguments as an object and (older servers) no id: one is made from the request id. */
    static OpenAiChat.ToolCall toolCall(JsonNode call, String requestId, int index) {
        String id = call.path("id").asText("");
        if (id.isEmpty()) {
            id = "call_" + requestId + "_" + index;
        }
        JsonNode function = call.path("function");
        JsonNode arguments = function.get("arguments");
        return new OpenAiChat.ToolCall(id, function.path("name").asText(),
                arguments != null && arguments.isTextual() ? arguments.asText() : OpenAiChat.arguments(arguments));
    }

    /**
     * {@code prompt_eval_count} (absent when the whole prompt was already in the server's cache, then 0) and
     * {@code eval_count}; null when neither is reported, so the gateway counts.
     */
    static Usage usage(JsonNode done) {
        if (!done.has("prompt_eval_count") && !done.has("eval_count")) {
            return null;
        }
        return new Usage(done.path("prompt_eval_count").asLong(0), done.path("eval_count").asLong(0), 0, 0, false);
    }

    /** Ollama's error body is {@code {"error": "..."}}; the status carries the kind (404 for an unknown model). */
    static UpstreamException error(String backend, int status, Duration retryAfter, byte[] body) {
        return UpstreamErrors.fromMessageField(backend, status, retryAfter, body, "error");
    }
}
