package dev.tollgate.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;
import java.util.Set;

/** Gemini answers, usage, safety blocks and errors → OpenAI's shapes. */
final class GeminiResponses {

    static final Set<String> BLOCKED = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY");

    private GeminiResponses() {
    }

    static String finishReason(String reason, boolean toolCalls) {
        if (reason == null) {
            return null;
        }
        if (toolCalls) {
            return "tool_calls";
        }
        if (reason.equals("MAX_TOKENS")) {
            return "length";
        }
        return BLOCKED.contains(reason) ? "content_filter" : "stop";
    }

    /** Throws the content-policy error when the prompt was blocked, or when a candidate was blocked before any content. */
    static void checkBlocked(String backend, JsonNode response) {
        String promptBlock = response.path("promptFeedback").path("blockReason").asText(null);
        if (promptBlock != null) {
            throw UpstreamErrors.contentBlocked(backend, "prompt: " + promptBlock);
        }
        JsonNode candidate = response.path("candidates").path(0);
        String reason = candidate.path("finishReason").asText(null);
        if (reason != null && BLOCKED.contains(reason) && candidate.path("content").path("parts").isEmpty()) {
            throw UpstreamErrors.contentBlocked(backend, "answer: " + reason);
        }
    }

    /** {@code promptTokenCount} includes cached tokens; thoughts are billed as output but reported apart. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        return new Usage(u.path("promptTokenCount").asLong(0), u.path("candidatesTokenCount").asLong(0) + thoughts,
                u.path("cachedContentTokenCount").asLong(0), thoughts, false);
    }

    static UpstreamException error(String backend, int status, Duration retryAfter, byte[] body) {
        String message = null;
        String code = null;
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            message = error.path("message").asText(null);
            code = error.path("status").asText(null);
        } catch (Exception ignored) {
            // not JSON: the status alone decides
        }
        UpstreamErrors.Hint hint = UpstreamErrors.Hint.NONE;
        if ("RESOURCE_EXHAUSTED".equals(code)) {
            hint = UpstreamErrors.Hint.RATE_LIMITED;
        } else if ("INVALID_ARGUMENT".equals(code) && UpstreamErrors.mentionsContextWindow(message)) {
            hint = UpstreamErrors.Hint.CONTEXT_WINDOW;
        }
        return UpstreamErrors.map(backend, status, retryAfter, message, hint);
    }

    static String text(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            if (p.has("text") && !p.path("thought").asBoolean(false)) {
                sb.append(p.get("text").asText());
            }
        }
        return sb.toString();
    }

    static String callId(JsonNode call, int index) {
        String id = call.path("id").asText(null);
        return id != null && !id.isEmpty() ? id : "call_" + index + "_" + call.path("name").asText();
    }

    static OpenAiChat.ToolCall toolCall(JsonNode functionCall, int index) {
        return new OpenAiChat.ToolCall(callId(functionCall, index), functionCall.path("name").asText(),
                OpenAiChat.arguments(functionCall.get("args")));
    }
}
