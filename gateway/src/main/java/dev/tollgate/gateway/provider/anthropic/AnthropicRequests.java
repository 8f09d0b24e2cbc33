package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.translate.ChatMessage;
import dev.tollgate.gateway.provider.translate.ContentParts;
import dev.tollgate.gateway.provider.translate.RequestParams;

import java.util.Set;

/** OpenAI chat request → Anthropic Messages request. */
final class AnthropicRequests {

    /** Default {@code max_tokens}: Anthropic requires one, OpenAI does not. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop",
            "tools", "tool_choice", "parallel_tool_calls", "metadata", "n");

    private static final String ID = ProviderSpecs.ANTHROPIC.id();

    private AnthropicRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ID, SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", request.backend().model());
        Integer maxTokens = RequestParams.maxTokens(in);
        out.put("max_tokens", maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(m.text());
                }
                case USER -> append(messages, "user", userBlocks(m.content(), m.contentParam()));
                case ASSISTANT -> append(messages, "assistant", assistantBlocks(m.node(), m.param()));
                case TOOL -> {
                    ObjectNode result = Json.MAPPER.createObjectNode();
                    result.put("type", "tool_result");
                    result.put("tool_use_id", m.node().path("tool_call_id").asText());
                    result.put("content", m.text());
                    append(messages, "user", Json.MAPPER.createArrayNode().add(result));
                }
            }
        }
        if (!system.isEmpty()) {
            out.put("system", system.toString());
        }
        out.set("messages", messages);
        RequestParams.copy(in, "temperature", out, "temperature");
        RequestParams.copy(in, "top_p", out, "top_p");
        RequestParams.putStop(in, out, "stop_sequences");
        if (in.hasNonNull("tools")) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode t : in.get("tools")) {
                JsonNode f = t.path("function");
                ObjectNode tool = tools.addObject();
                tool.put("name", f.path("name").asText());
                if (f.hasNonNull("description")) {
                    tool.put("description", f.get("description").asText());
                }
                tool.set("input_schema", f.hasNonNull("parameters") ? f.get("parameters") : Json.MAPPER.createObjectNode().put("type", "object"));
            }
        }
        ObjectNode choice = toolChoice(in.get("tool_choice"));
        if (in.path("parallel_tool_calls").isBoolean() && !in.get("parallel_tool_calls").booleanValue() && in.hasNonNull("tools")) {
            if (choice == null) {
                choice = Json.MAPPER.createObjectNode().put("type", "auto");
            }
            choice.put("disable_parallel_tool_use", true);
        }
        if (choice != null) {
            out.set("tool_choice", choice);
        }
        String user = in.path("user").asText(null);
        if (user != null) {
            out.putObject("metadata").put("user_id", user);
        }
        if (request.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> Json.MAPPER.createObjectNode().put("type", "auto");
                case "required" -> Json.MAPPER.createObjectNode().put("type", "any");
                case "none" -> Json.MAPPER.createObjectNode().put("type", "none");
                default -> throw GatewayException.invalidRequest("tool_choice", "Invalid 'tool_choice': " + choice.asText());
            };
        }
        return Json.MAPPER.createObjectNode().put("type", "tool").put("name", choice.path("function").path("name").asText());
    }

    private static ArrayNode userBlocks(JsonNode content, String param) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        for (ContentParts.Part part : ContentParts.parts(content, param)) {
            if (part.image() == null) {
                blocks.addObject().put("type", "text").put("text", part.text());
            } else {
                ObjectNode source = blocks.addObject().put("type", "image").putObject("source");
                if (part.image().inline()) {
                    source.put("type", "base64").put("media_type", part.image().mediaType()).put("data", part.image().data());
                } else {
                    source.put("type", "url").put("url", part.image().url());
                }
            }
        }
        return blocks;
    }

    private static ArrayNode assistantBlocks(JsonNode m, String param) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        String text = ContentParts.text(m.get("content"));
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                ObjectNode use = blocks.addObject();
                use.put("type", "tool_use");
                use.put("id", c.path("id").asText());
                use.put("name", c.path("function").path("name").asText());
                use.set("input", parseArguments(c.path("function").path("arguments").asText("{}"), param + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    static JsonNode parseArguments(String arguments, String param) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments.isBlank() ? "{}" : arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (Exception ignored) {
            // reported below
        }
        throw GatewayException.invalidRequest(param + ".function.arguments", "Invalid tool call arguments: expected a JSON object.");
    }

    /** Appends blocks to the last message when it has the same role (Anthropic requires alternating roles). */
    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        ChatMessage.appendTurn(messages, role, "content", blocks);
    }
}
