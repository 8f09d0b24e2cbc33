package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Cohere v2 answers, finish reasons, usage and errors → OpenAI's shapes. */
final class CohereResponses {

    private CohereResponses() {
    }

    static OpenAiChat.Choice choice(JsonNode response) {
        JsonNode message = response.path("message");
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        }
        List<OpenAiChat.ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            calls.add(new OpenAiChat.ToolCall(c.path("id").asText(), c.path("function").path("name").asText(),
                    c.path("function").path("arguments").asText("{}")));
        }
        return new OpenAiChat.Choice(0, text.toString(), calls, finishReason(response.path("finish_reason").asText(null), !calls.isEmpty()));
    }

    static String finishReason(String reason, boolean toolCalls) {
        if (toolCalls || "TOOL_CALL".equals(reason)) {
            return "tool_calls";
        }
        if ("MAX_TOKENS".equals(reason)) {
            return "length";
        }
        return "stop";
    }

    /**
     * Cohere reports {@code billed_units} (what it charges) and {@code tokens} (everything the model saw, its prompt
     * template included). Cost follows the bill, so billed units are used; {@code tokens} only when no bill is given.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        JsonNode counts = u.path("billed_units").has("input_tokens") || u.path("billed_units").has("output_tokens")
                ? u.get("billed_units") : u.get("tokens");
        if (counts == null || !counts.isObject()) {
            return null;
        }
        return new Usage(counts.path("input_tokens").asLong(0), counts.path("output_tokens").asLong(0),
                u.path("cached_tokens").asLong(0), 0, false);
    }

    /** Cohere's error body is {@code {"id": ..., "message": ...}}; the status carries the kind. */
    static UpstreamException error(String backend, int status, Duration retryAfter, byte[] body) {
        return UpstreamErrors.fromMessageField(backend, status, retryAfter, body, "message");
    }
}
