package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

/** OpenAI answers, usage and errors → the Messages API's shapes. */
final class MessagesResponses {

    private MessagesResponses() {
    }

    /** An OpenAI {@code chat.completion} (first choice) → an Anthropic {@code message}. */
    static ObjectNode message(JsonNode completion, Usage usage) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode m = choice.path("message");
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", messageId(completion.path("id").asText("")));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", completion.path("model").asText());
        ArrayNode content = out.putArray("content");
        String text = m.path("content").asText("");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : m.path("tool_calls")) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", input(call.path("function").path("arguments").asText("{}")));
        }
        out.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
        out.putNull("stop_sequence");
        out.set("usage", usage(usage != null ? usage : OpenAiUsage.read(completion.get("usage"))));
        return out;
    }

    static String messageId(String id) {
        return id.startsWith("msg_") ? id : "msg_" + id;
    }

    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** Anthropic's usage: {@code input_tokens} excludes cache reads and writes, which are reported apart. */
    static ObjectNode usage(Usage usage) {
        Usage u = usage == null ? Usage.ZERO : usage;
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("input_tokens", Math.max(0, u.promptTokens() - u.cachedTokens() - u.cacheWriteTokens()));
        out.put("cache_creation_input_tokens", u.cacheWriteTokens());
        out.put("cache_read_input_tokens", u.cachedTokens());
        out.put("output_tokens", u.completionTokens());
        return out;
    }

    static JsonNode input(String arguments) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
        } catch (Exception e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    /** {@code {"type":"error","error":{"type","message"}}}, the error type chosen by the status. */
    static ObjectNode error(GatewayException e) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("type", "error");
        root.putObject("error").put("type", errorType(e.status())).put("message", e.getMessage());
        return root;
    }

    static String errorType(int status) {
        return switch (status) {
            case 400, 405, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> "api_error";
        };
    }
}
