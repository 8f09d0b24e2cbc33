package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

/**
 * The Responses API's objects built from chat completions: the {@code response} (with the request's settings echoed,
 * as OpenAI does), its output items and its usage.
 */
final class ResponsesObjects {

    private ResponsesObjects() {
    }

    /** A {@code chat.completion} (first choice) → a completed (or incomplete) {@code response}. */
    static ObjectNode response(ObjectNode request, JsonNode completion, Usage usage, long createdAt) {
        String id = baseId(completion.path("id").asText(""));
        ObjectNode out = envelope(request, id, completion.path("model").asText(request.path("model").asText()), createdAt);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode m = choice.path("message");
        ArrayNode output = out.putArray("output");
        String text = m.path("content").asText("");
        String refusal = m.path("refusal").asText("");
        if (!text.isEmpty() || !refusal.isEmpty()) {
            ObjectNode message = message(id, "completed");
            ArrayNode content = message.putArray("content");
            if (!text.isEmpty()) {
                content.add(outputText(text));
            }
            if (!refusal.isEmpty()) {
                content.addObject().put("type", "refusal").put("refusal", refusal);
            }
            output.add(message);
        }
        int n = 0;
        for (JsonNode call : m.path("tool_calls")) {
            output.add(functionCall(id, n++, call.path("id").asText(), call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText(""), "completed"));
        }
        finish(out, choice.path("finish_reason").asText(null), usage != null ? usage : OpenAiUsage.read(completion.get("usage")));
        return out;
    }

    /** The id shared by a response and its items: the chat completion's id without its prefix. */
    static String baseId(String completionId) {
        String id = completionId.startsWith("chatcmpl-") ? completionId.substring(9) : completionId;
        return id.isEmpty() ? Long.toHexString(System.nanoTime()) : id;
    }

    /**
     * A response without output, status or usage: {@code id}, {@code object}, {@code created_at}, {@code model} and
     * the settings of the request that a Responses client reads back.
     */
    static ObjectNode envelope(ObjectNode request, String baseId, String model, long createdAt) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", "resp_" + baseId);
        out.put("object", "response");
        out.put("created_at", createdAt);
        out.put("status", "in_progress");
        out.putNull("error");
        out.putNull("incomplete_details");
        echo(request, "instructions", out);
        echo(request, "max_output_tokens", out);
        out.put("model", model);
        out.putArray("output");
        out.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        out.putNull("previous_response_id");
        out.set("reasoning", request.has("reasoning") ? request.get("reasoning") : Json.MAPPER.createObjectNode().putNull("effort"));
        out.put("store", false);
        out.put("temperature", request.path("temperature").asDouble(1.0));
        out.set("text", request.has("text") ? request.get("text") : textFormat());
        out.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : Json.MAPPER.getNodeFactory().textNode("auto"));
        out.set("tools", request.has("tools") ? request.get("tools") : Json.MAPPER.createArrayNode());
        out.put("top_p", request.path("top_p").asDouble(1.0));
        out.put("truncation", "disabled");
        out.putNull("usage");
        echo(request, "user", out);
        out.set("metadata", request.has("metadata") ? request.get("metadata") : Json.MAPPER.createObjectNode());
        return out;
    }

    /** Sets the final status (incomplete when the answer was cut short) and the usage. */
    static void finish(ObjectNode response, String finishReason, Usage usage) {
        if ("length".equals(finishReason) || "content_filter".equals(finishReason)) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", "length".equals(finishReason) ? "max_output_tokens" : "content_filter");
        } else {
            response.put("status", "completed");
        }
        response.set("usage", usage(usage));
    }

    /** A failed response: the error's code (its type when it has none) and message. */
    static void fail(ObjectNode response, GatewayException error) {
        response.put("status", "failed");
        response.putObject("error").put("code", error.code() != null ? error.code() : error.type()).put("message", error.getMessage());
    }

    static ObjectNode message(String baseId, String status) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", "msg_" + baseId);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        item.putArray("content");
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    static ObjectNode functionCall(String baseId, int n, String callId, String name, String arguments, String status) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", "fc_" + baseId + "_" + n);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("call_id", callId);
        item.put("name", name);
        item.put("arguments", arguments);
        return item;
    }

    /**
     * Responses' usage: {@code input_tokens} include cached and cache-written ones, {@code output_tokens} reasoning
     * ones, as in chat.
     */
    static ObjectNode usage(Usage usage) {
        Usage u = usage == null ? Usage.ZERO : usage;
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("input_tokens", u.promptTokens());
        out.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens()).put("cache_write_tokens", u.cacheWriteTokens());
        out.put("output_tokens", u.completionTokens());
        out.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        out.put("total_tokens", u.totalTokens());
        return out;
    }

    private static ObjectNode textFormat() {
        ObjectNode text = Json.MAPPER.createObjectNode();
        text.putObject("format").put("type", "text");
        return text;
    }

    private static void echo(ObjectNode request, String field, ObjectNode out) {
        JsonNode v = request.get(field);
        if (v != null) {
            out.set(field, v);
        } else {
            out.putNull(field);
        }
    }
}
