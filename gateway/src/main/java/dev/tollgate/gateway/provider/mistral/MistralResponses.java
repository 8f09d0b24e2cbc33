package dev.tollgate.gateway.provider.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Mistral answers, finish reasons, usage and errors → OpenAI's shapes. */
final class MistralResponses {

    private MistralResponses() {
    }

    static OpenAiChat.Choice choice(String backend, JsonNode choice, int position) {
        JsonNode message = choice.path("message");
        List<OpenAiChat.ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            calls.add(new OpenAiChat.ToolCall(c.path("id").asText(), c.path("function").path("name").asText(),
                    c.path("function").path("arguments").asText("{}")));
        }
        return new OpenAiChat.Choice(choice.path("index").asInt(position), text(message.get("content")), calls,
                finishReason(backend, choice.path("finish_reason").asText("stop"), !calls.isEmpty()));
    }

    /** Content is a string, or (reasoning models) an array of {@code text} and {@code thinking} chunks; only text is kept. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode chunk : content) {
            if (chunk.path("type").asText().equals("text")) {
                sb.append(chunk.path("text").asText());
            }
        }
        return sb.toString();
    }

    static String finishReason(String backend, String reason, boolean toolCalls) {
        if (toolCalls || "tool_calls".equals(reason)) {
            return "tool_calls";
        }
        return switch (reason) {
            case "length", "model_length" -> "length";
            case "error" -> throw UpstreamErrors.map(backend, 500, null, "the generation failed", UpstreamErrors.Hint.NONE);
            default -> "stop";
        };
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
                u.path("prompt_tokens_details").path("cached_tokens").asLong(0), 0, false);
    }

    /**
     * Mistral errors come as {@code {"object":"error","message":...,"type":...}} (message sometimes an object with
     * validation {@code detail}), or as a bare {@code {"message":...}} from its edge (401, 429).
     */
    static UpstreamException error(String backend, int status, Duration retryAfter, byte[] body) {
        String message = null;
        String type = null;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            JsonNode m = json.path("message");
            message = m.isTextual() ? m.asText() : m.isMissingNode() ? null : m.toString();
            if (message == null && json.has("detail")) {
                message = json.get("detail").toString();
            }
            type = json.path("type").asText(null);
        } catch (Exception ignored) {
            // not JSON: the status alone decides
        }
        UpstreamErrors.Hint hint = UpstreamErrors.Hint.NONE;
        if ("rate_limited".equals(type)) {
            hint = UpstreamErrors.Hint.RATE_LIMITED;
        } else if (UpstreamErrors.mentionsContextWindow(message) || (message != null && message.contains("too large for model"))) {
            hint = UpstreamErrors.Hint.CONTEXT_WINDOW;
        }
        return UpstreamErrors.map(backend, status, retryAfter, message, hint);
    }
}
