package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.request.JsonBody;
import dev.tollgate.gateway.request.RequestShape;

import java.util.Set;

/**
 * An Anthropic Messages API request → the equivalent OpenAI chat request: system prompt, text/image/tool_use/
 * tool_result blocks, tools and tool_choice, sampling and stop sequences. Anthropic fields without an OpenAI
 * equivalent ({@code top_k}, {@code thinking}, ...) are kept under their own names, so the backend's provider refuses
 * them (400 naming them) unless the route drops unsupported parameters.
 */
final class MessagesRequests {

    /** Fields translated here; any other top-level field is carried over unchanged. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "system", "max_tokens", "stop_sequences", "stream",
            "temperature", "top_p", "tools", "tool_choice", "metadata");

    private MessagesRequests() {
    }

    static ObjectNode parse(byte[] bytes) {
        return parse(bytes, true);
    }

    /**
     * A {@code count_tokens} request: the Messages API's shape without {@code max_tokens} (allowed, not required).
     */
    static ObjectNode parseForCount(byte[] bytes) {
        return parse(bytes, false);
    }

    private static ObjectNode parse(byte[] bytes, boolean maxTokensRequired) {
        ObjectNode body = JsonBody.object(bytes);
        if (!body.path("model").isTextual() || body.get("model").asText().isBlank()) {
            throw GatewayException.invalidRequest("model", "model: Field required (a non-empty string).");
        }
        JsonNode max = body.get("max_tokens");
        boolean maxValid = max != null && max.isIntegralNumber() && max.canConvertToInt() && max.intValue() >= 1
                && max.intValue() <= RequestShape.MAX_TOKENS;
        if (!maxValid && (max != null || maxTokensRequired)) {
            throw GatewayException.invalidRequest("max_tokens", "max_tokens: Field required (an integer from 1 to " + RequestShape.MAX_TOKENS + ").");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.invalidRequest("messages", "messages: Field required (a non-empty array).");
        }
        checkShape(body);
        return body;
    }

    /**
     * The JSON types of every field this class or the pipeline reads, in the Messages API's own wording: a wrong type
     * is a 400 naming the field for any backend, found before the request is routed (only content an Anthropic
     * backend alone understands is left for the backend to judge).
     */
    private static void checkShape(ObjectNode body) {
        JsonNode messages = body.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String param = "messages." + i;
            if (!m.isObject()) {
                throw shape(param, "an object with role and content");
            }
            String role = m.path("role").asText(null);
            if (!m.path("role").isTextual() || !(role.equals("user") || role.equals("assistant"))) {
                throw shape(param + ".role", "'user' or 'assistant'");
            }
            blocks(m.get("content"), param + ".content", true);
        }
        JsonNode system = body.get("system");
        if (present(system) && !system.isTextual()) {
            blocks(system, "system", false);
        }
        JsonNode tools = body.get("tools");
        if (present(tools)) {
            if (!tools.isArray()) {
                throw shape("tools", "an array of tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                if (!t.isObject()) {
                    throw shape("tools." + i, "an object");
                }
                text(t, "name", "tools." + i + ".name");
                text(t, "type", "tools." + i + ".type");
                text(t, "description", "tools." + i + ".description");
                JsonNode schema = t.get("input_schema");
                if (present(schema) && !schema.isObject()) {
                    throw shape("tools." + i + ".input_schema", "a JSON Schema object");
                }
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (present(choice) && (!choice.isObject() || !choice.path("type").isTextual())) {
            throw shape("tool_choice", "an object with a string type");
        }
        if (present(choice)) {
            text(choice, "name", "tool_choice.name");
        }
        JsonNode stop = body.get("stop_sequences");
        if (present(stop)) {
            if (!stop.isArray()) {
                throw shape("stop_sequences", "an array of strings");
            }
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw shape("stop_sequences." + i, "a string");
                }
            }
        }
        for (String number : new String[] {"temperature", "top_p", "top_k"}) {
            JsonNode v = body.get(number);
            if (present(v) && !v.isNumber()) {
                throw shape(number, "a number");
            }
        }
        JsonNode stream = body.get("stream");
        if (present(stream) && !stream.isBoolean()) {
            throw shape("stream", "a boolean");
        }
        JsonNode metadata = body.get("metadata");
        if (present(metadata)) {
            if (!metadata.isObject()) {
                throw shape("metadata", "an object");
            }
            text(metadata, "user_id", "metadata.user_id");
        }
    }

    /** A string, or an array of content blocks (objects with a string type). */
    private static void blocks(JsonNode content, String param, boolean required) {
        if (!present(content)) {
            if (required) {
                throw shape(param, "a string or an array of content blocks");
            }
            return;
        }
        if (content.isTextual()) {
            return;
        }
        if (!content.isArray()) {
            throw shape(param, "a string or an array of content blocks");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String p = param + "." + j;
            if (!block.isObject() || !block.path("type").isTextual()) {
                throw shape(p, "an object with a string type");
            }
            text(block, "text", p + ".text");
            text(block, "id", p + ".id");
            text(block, "name", p + ".name");
            text(block, "tool_use_id", p + ".tool_use_id");
            JsonNode source = block.get("source");
            if (present(source) && !source.isObject()) {
                throw shape(p + ".source", "an object");
            }
            JsonNode result = block.get("content");
            if (present(result) && !result.isTextual()) {
                blocks(result, p + ".content", false);
            }
        }
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull();
    }

    private static void text(JsonNode parent, String field, String param) {
        JsonNode v = parent.get(field);
        if (present(v) && !v.isTextual()) {
            throw shape(param, "a string");
        }
    }

    private static GatewayException shape(String param, String expected) {
        return GatewayException.invalidRequest(param, param + ": Input should be " + expected + ".");
    }

    static ObjectNode toOpenAi(ObjectNode in) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", in.get("model").asText());
        ArrayNode messages = out.putArray("messages");
        String system = systemText(in.get("system"));
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        JsonNode inMessages = in.get("messages");
        for (int i = 0; i < inMessages.size(); i++) {
            JsonNode m = inMessages.get(i);
            String param = "messages." + i;
            if (!m.isObject()) {
                throw GatewayException.invalidRequest(param, param + ": expected an object with role and content.");
            }
            switch (m.path("role").asText()) {
                case "user" -> user(m.get("content"), param + ".content", messages);
                case "assistant" -> messages.add(assistant(m.get("content"), param + ".content"));
                default -> throw GatewayException.invalidRequest(param + ".role", param + ".role: Input should be 'user' or 'assistant'.");
            }
        }
        if (in.has("max_tokens")) {
            out.put("max_tokens", in.get("max_tokens").intValue());
        }
        copy(in, "temperature", out, "temperature");
        copy(in, "top_p", out, "top_p");
        copy(in, "stop_sequences", out, "stop");
        if (in.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        if (in.path("metadata").hasNonNull("user_id")) {
            out.put("user", in.path("metadata").get("user_id").asText());
        }
        if (in.hasNonNull("tools")) {
            out.set("tools", tools(in.get("tools")));
        }
        toolChoice(in.get("tool_choice"), out);
        in.fields().forEachRemaining(f -> {
            if (!TRANSLATED.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        });
        return out;
    }

    /** Only the model, limits and the text of every message: what the pipeline needs when the request cannot be translated. */
    static ObjectNode textOnly(ObjectNode in) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", in.get("model").asText());
        ArrayNode messages = out.putArray("messages");
        for (JsonNode m : in.get("messages")) {
            JsonNode content = m.get("content");
            StringBuilder text = new StringBuilder();
            if (content != null && content.isTextual()) {
                text.append(content.asText());
            } else if (content != null) {
                content.forEach(b -> text.append(b.path("text").asText("")));
            }
            messages.addObject().put("role", m.path("role").asText("user")).put("content", text.toString());
        }
        if (in.has("max_tokens")) {
            out.put("max_tokens", in.get("max_tokens").intValue());
        }
        if (in.path("stream").asBoolean(false)) {
            out.put("stream", true);
        }
        return out;
    }

    private static String systemText(JsonNode system) {
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isTextual()) {
            return system.asText();
        }
        if (!system.isArray()) {
            throw GatewayException.invalidRequest("system", "system: expected a string or an array of text blocks.");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!block.path("type").asText().equals("text")) {
                throw GatewayException.invalidRequest("system." + i + ".type", "system." + i + ": only text blocks are supported.");
            }
            if (!sb.isEmpty()) {
                sb.append("\n\n");
            }
            sb.append(block.path("text").asText());
        }
        return sb.toString();
    }

    /** A user turn: its tool results become OpenAI tool messages (first), its text and images one user message. */
    private static void user(JsonNode content, String param, ArrayNode messages) {
        if (content != null && content.isTextual()) {
            messages.addObject().put("role", "user").put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw GatewayException.invalidRequest(param, param + ": expected a string or an array of content blocks.");
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String blockParam = param + "." + j;
            switch (block.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> parts.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl(block.path("source"), blockParam));
                case "tool_result" -> {
                    String text = toolResultText(block.get("content"), blockParam);
                    if (block.path("is_error").asBoolean(false)) {
                        text = "Error: " + text;
                    }
                    messages.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText()).put("content", text);
                }
                default -> throw unsupportedBlock(blockParam, block);
            }
        }
        if (!parts.isEmpty()) {
            ObjectNode user = messages.addObject().put("role", "user");
            if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
                user.put("content", parts.get(0).path("text").asText());
            } else {
                user.set("content", parts);
            }
        }
    }

    private static ObjectNode assistant(JsonNode content, String param) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("role", "assistant");
        if (content != null && content.isTextual()) {
            return out.put("content", content.asText());
        }
        if (content == null || !content.isArray()) {
            throw GatewayException.invalidRequest(param, param + ": expected a string or an array of content blocks.");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    JsonNode input = block.get("input");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
                }
                case "thinking", "redacted_thinking" -> {
                    // a reasoning trace has no place in an OpenAI chat history
                }
                default -> throw unsupportedBlock(param + "." + j, block);
            }
        }
        if (calls.isEmpty()) {
            out.put("content", text.toString());
        } else {
            if (text.isEmpty()) {
                out.putNull("content");
            } else {
                out.put("content", text.toString());
            }
            out.set("tool_calls", calls);
        }
        return out;
    }

    private static String imageUrl(JsonNode source, String param) {
        return switch (source.path("type").asText()) {
            case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
            case "url" -> source.path("url").asText();
            default -> throw GatewayException.invalidRequest(param + ".source.type", param + ".source.type: only base64 and url images are supported.");
        };
    }

    private static String toolResultText(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < content.size(); k++) {
            JsonNode block = content.get(k);
            if (!block.path("type").asText().equals("text")) {
                throw GatewayException.invalidRequest(param + ".content." + k + ".type",
                        param + ".content." + k + ": only text tool results can be sent to this model's backend.");
            }
            sb.append(block.path("text").asText());
        }
        return sb.toString();
    }

    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String type = t.path("type").asText("custom");
            if (!type.equals("custom")) {
                throw GatewayException.invalidRequest("tools." + i + ".type", "tools." + i + ": the server tool '" + type
                        + "' is only available when the model's backend is Anthropic.");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            function.put("name", t.path("name").asText());
            if (t.hasNonNull("description")) {
                function.put("description", t.get("description").asText());
            }
            function.set("parameters", t.hasNonNull("input_schema") ? t.get("input_schema") : Json.MAPPER.createObjectNode().put("type", "object"));
        }
        return out;
    }

    private static void toolChoice(JsonNode choice, ObjectNode out) {
        if (choice == null || choice.isNull()) {
            return;
        }
        switch (choice.path("type").asText()) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.path("name").asText());
            default -> throw GatewayException.invalidRequest("tool_choice.type", "tool_choice.type: expected auto, any, tool or none.");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            out.put("parallel_tool_calls", false);
        }
    }

    private static GatewayException unsupportedBlock(String param, JsonNode block) {
        return GatewayException.invalidRequest(param + ".type", param + ": the content block type '" + block.path("type").asText()
                + "' is only available when the model's backend is Anthropic.");
    }

    private static void copy(ObjectNode in, String from, ObjectNode out, String to) {
        if (in.hasNonNull(from)) {
            out.set(to, in.get(from));
        }
    }
}
