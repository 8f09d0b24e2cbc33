package dev.tollgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Checks the JSON types of the OpenAI request fields the gateway or a provider translator reads, once, before anything
 * else looks at them: a wrong type is a 400 naming the field (OpenAI's own wording), never a translator's
 * NullPointerException. Numbers the gateway does arithmetic with are bounded here too ({@link #MAX_TOKENS},
 * {@link #MAX_CHOICES}). Fields the gateway does not read pass unchecked, as the upstream will judge them.
 */
public final class RequestShape {

    /**
     * Largest {@code max_tokens}/{@code max_completion_tokens} accepted: above every model's output limit (the largest
     * are 128k tokens), and small enough that token estimates and quota arithmetic stay far from overflow.
     */
    public static final int MAX_TOKENS = 1_000_000;

    /** Largest {@code n}, OpenAI's own limit. */
    public static final int MAX_CHOICES = 128;

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private RequestShape() {
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Checks a chat request's body; {@code messages} is known to be a non-empty array of objects with a string role. */
    static void checkChat(ObjectNode body) {
        JsonNode messages = body.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            checkMessage(messages.get(i), "messages[" + i + "]");
        }
        JsonNode tools = body.get("tools");
        if (present(tools)) {
            if (!tools.isArray()) {
                throw type("tools", "an array of tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                checkTool(tools.get(i), "tools[" + i + "]");
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (present(choice)) {
            if (choice.isObject()) {
                JsonNode function = choice.get("function");
                if (present(function) && !function.isObject()) {
                    throw type("tool_choice.function", "an object");
                }
                optionalText(function, "name", "tool_choice.function.name");
            } else if (!choice.isTextual()) {
                throw type("tool_choice", "a string or an object");
            }
        }
        JsonNode stop = body.get("stop");
        if (present(stop) && !stop.isTextual()) {
            if (!stop.isArray()) {
                throw type("stop", "a string or an array of strings");
            }
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw type("stop[" + i + "]", "a string");
                }
            }
        }
        integer(body, "n", 1, MAX_CHOICES);
        integer(body, "top_logprobs", 0, 20);
        bool(body, "logprobs");
        bool(body, "parallel_tool_calls");
        JsonNode bias = body.get("logit_bias");
        if (present(bias)) {
            if (!bias.isObject()) {
                throw type("logit_bias", "an object of token ids to numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = bias.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw type("logit_bias." + e.getKey(), "a number");
                }
            }
        }
        object(body, "response_format");
    }

    /** Checks the fields every endpoint shares: sampling numbers, {@code max_tokens}, {@code user}, {@code stream_options}. */
    static void checkCommon(ObjectNode body) {
        for (String field : new String[] {"temperature", "top_p", "presence_penalty", "frequency_penalty"}) {
            JsonNode v = body.get(field);
            if (present(v) && !v.isNumber()) {
                throw type(field, "a number");
            }
        }
        integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        integer(body, "max_tokens", 1, MAX_TOKENS);
        integer(body, "max_completion_tokens", 1, MAX_TOKENS);
        optionalText(body, "user", "user");
        object(body, "metadata");
        if (object(body, "stream_options")) {
            bool((ObjectNode) body.get("stream_options"), "include_usage", "stream_options.include_usage");
        }
    }

    private static void checkMessage(JsonNode m, String param) {
        String role = m.get("role").asText();
        if (!ROLES.contains(role)) {
            throw GatewayException.invalidRequest(param + ".role", "Invalid value for '" + param + ".role': '" + abbreviated(role)
                    + "'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.");
        }
        JsonNode content = m.get("content");
        if (present(content) && !content.isTextual()) {
            if (!content.isArray()) {
                throw type(param + ".content", "a string or an array of content parts");
            }
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String p = param + ".content[" + j + "]";
                if (!part.isObject() || !part.path("type").isTextual()) {
                    throw type(p, "an object with a string 'type'");
                }
                optionalText(part, "text", p + ".text");
                JsonNode image = part.get("image_url");
                if (present(image)) {
                    if (!image.isObject()) {
                        throw type(p + ".image_url", "an object");
                    }
                    optionalText(image, "url", p + ".image_url.url");
                }
            }
        }
        optionalText(m, "tool_call_id", param + ".tool_call_id");
        optionalText(m, "name", param + ".name");
        JsonNode calls = m.get("tool_calls");
        if (present(calls)) {
            if (!calls.isArray()) {
                throw type(param + ".tool_calls", "an array of tool calls");
            }
            for (int j = 0; j < calls.size(); j++) {
                JsonNode call = calls.get(j);
                String p = param + ".tool_calls[" + j + "]";
                if (!call.isObject()) {
                    throw type(p, "an object");
                }
                optionalText(call, "id", p + ".id");
                JsonNode function = call.get("function");
                if (present(function)) {
                    if (!function.isObject()) {
                        throw type(p + ".function", "an object");
                    }
                    optionalText(function, "name", p + ".function.name");
                    optionalText(function, "arguments", p + ".function.arguments");
                }
            }
        }
    }

    private static void checkTool(JsonNode tool, String param) {
        if (!tool.isObject()) {
            throw type(param, "an object");
        }
        optionalText(tool, "type", param + ".type");
        JsonNode function = tool.get("function");
        if (present(function)) {
            if (!function.isObject()) {
                throw type(param + ".function", "an object");
            }
            optionalText(function, "name", param + ".function.name");
            optionalText(function, "description", param + ".function.description");
            JsonNode parameters = function.get("parameters");
            if (present(parameters) && !parameters.isObject()) {
                throw type(param + ".function.parameters", "a JSON Schema object");
            }
        }
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull();
    }

    private static void optionalText(JsonNode parent, String field, String param) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (present(v) && !v.isTextual()) {
            throw type(param, "a string");
        }
    }

    private static boolean object(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (!present(v)) {
            return false;
        }
        if (!v.isObject()) {
            throw type(field, "an object");
        }
        return true;
    }

    private static void bool(ObjectNode body, String field) {
        bool(body, field, field);
    }

    private static void bool(ObjectNode body, String field, String param) {
        JsonNode v = body.get(field);
        if (present(v) && !v.isBoolean()) {
            throw type(param, "a boolean");
        }
    }

    /** An optional integer within [{@code min}, {@code max}]; a float, a string or an out-of-range value is a 400. */
    private static void integer(ObjectNode body, String field, long min, long max) {
        JsonNode v = body.get(field);
        if (!present(v)) {
            return;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            String range = min == Long.MIN_VALUE ? "an integer" : "an integer from " + min + " to " + max;
            throw GatewayException.invalidRequest(field, "Invalid '" + field + "': expected " + range + ".");
        }
    }

    private static GatewayException type(String param, String expected) {
        return GatewayException.invalidRequest(param, "Invalid type for '" + param + "': expected " + expected + ".");
    }
}
