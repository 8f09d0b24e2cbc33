package dev.tollgate.gateway.provider.bedrock;

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
import dev.tollgate.gateway.provider.translate.ToolArguments;

import java.util.List;
import java.util.Set;

/** OpenAI chat request → Bedrock Converse request. */
final class BedrockRequests {

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice");

    private BedrockRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ProviderSpecs.BEDROCK.id(), SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        ArrayNode system = Json.MAPPER.createArrayNode();
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> system.addObject().put("text", m.text());
                case USER -> append(messages, "user", userBlocks(m.content(), m.contentParam()));
                case ASSISTANT -> append(messages, "assistant", assistantBlocks(m.node(), m.param()));
                case TOOL -> {
                    ObjectNode block = Json.MAPPER.createObjectNode();
                    ObjectNode result = block.putObject("toolResult");
                    result.put("toolUseId", m.node().path("tool_call_id").asText());
                    result.putArray("content").addObject().put("text", m.text());
                    append(messages, "user", Json.MAPPER.createArrayNode().add(block));
                }
            }
        }
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        ObjectNode inference = Json.MAPPER.createObjectNode();
        RequestParams.putMaxTokens(in, inference, "maxTokens");
        RequestParams.copy(in, "temperature", inference, "temperature");
        RequestParams.copy(in, "top_p", inference, "topP");
        RequestParams.putStop(in, inference, "stopSequences");
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        if (in.hasNonNull("tools")) {
            ObjectNode toolConfig = out.putObject("toolConfig");
            ArrayNode tools = toolConfig.putArray("tools");
            for (JsonNode t : in.get("tools")) {
                JsonNode f = t.path("function");
                ObjectNode spec = tools.addObject().putObject("toolSpec");
                spec.put("name", f.path("name").asText());
                if (f.hasNonNull("description")) {
                    spec.put("description", f.get("description").asText());
                }
                spec.putObject("inputSchema").set("json", f.hasNonNull("parameters") ? f.get("parameters")
                        : Json.MAPPER.createObjectNode().put("type", "object"));
            }
            JsonNode choice = in.get("tool_choice");
            if (choice != null && !choice.isNull()) {
                if (choice.isTextual()) {
                    switch (choice.asText()) {
                        case "auto" -> toolConfig.putObject("toolChoice").putObject("auto");
                        case "required" -> toolConfig.putObject("toolChoice").putObject("any");
                        default -> {
                            if (!request.dropUnsupportedParams()) {
                                throw RequestParams.unsupported("tool_choice", ProviderSpecs.BEDROCK.id(), request.backend().name());
                            }
                        }
                    }
                } else {
                    toolConfig.putObject("toolChoice").putObject("tool").put("name", choice.path("function").path("name").asText());
                }
            }
        }
        return out;
    }

    private static ArrayNode userBlocks(JsonNode content, String param) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        List<ContentParts.Part> parts = ContentParts.parts(content, param);
        for (int i = 0; i < parts.size(); i++) {
            ContentParts.Part part = parts.get(i);
            if (part.image() == null) {
                blocks.addObject().put("text", part.text());
            } else if (part.image().inline() && part.image().mediaType().startsWith("image/")) {
                ObjectNode image = blocks.addObject().putObject("image");
                image.put("format", part.image().mediaType().substring(6));
                image.putObject("source").put("bytes", part.image().data());
            } else {
                throw GatewayException.invalidRequest(param + "[" + i + "]", "Bedrock accepts images only as base64 data URLs.");
            }
        }
        return blocks;
    }

    private static ArrayNode assistantBlocks(JsonNode m, String param) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        String text = ContentParts.text(m.get("content"));
        if (!text.isEmpty()) {
            blocks.addObject().put("text", text);
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                ObjectNode use = blocks.addObject().putObject("toolUse");
                use.put("toolUseId", c.path("id").asText());
                use.put("name", c.path("function").path("name").asText());
                use.set("input", ToolArguments.parse(c.path("function").path("arguments").asText("{}"), param + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        ChatMessage.appendTurn(messages, role, "content", blocks);
    }
}
