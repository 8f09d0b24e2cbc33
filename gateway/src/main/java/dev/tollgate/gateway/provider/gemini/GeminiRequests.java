package dev.tollgate.gateway.provider.gemini;

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

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** OpenAI chat request → Gemini {@code generateContent} request. */
final class GeminiRequests {

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "n",
            "seed", "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice");

    private GeminiRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ProviderSpecs.GEMINI.id(), SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode contents = out.putArray("contents");
        ArrayNode system = Json.MAPPER.createArrayNode();
        Map<String, String> toolNames = new HashMap<>();
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> system.addObject().put("text", m.text());
                case USER -> ChatMessage.appendTurn(contents, "user", "parts", userParts(m.content(), m.contentParam()));
                case ASSISTANT -> ChatMessage.appendTurn(contents, "model", "parts", modelParts(m.node(), m.param(), toolNames));
                case TOOL -> {
                    String id = m.node().path("tool_call_id").asText();
                    String name = toolNames.get(id);
                    if (name == null) {
                        throw GatewayException.invalidRequest(m.param() + ".tool_call_id",
                                "No earlier assistant tool call has the id '" + id + "'.");
                    }
                    ObjectNode response = Json.MAPPER.createObjectNode();
                    response.putObject("functionResponse").put("name", name).set("response", toolResponse(m.text()));
                    ChatMessage.appendTurn(contents, "user", "parts", Json.MAPPER.createArrayNode().add(response));
                }
            }
        }
        if (!system.isEmpty()) {
            out.putObject("systemInstruction").set("parts", system);
        }
        if (in.hasNonNull("tools")) {
            ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
            for (JsonNode t : in.get("tools")) {
                JsonNode f = t.path("function");
                ObjectNode d = declarations.addObject().put("name", f.path("name").asText());
                if (f.hasNonNull("description")) {
                    d.put("description", f.get("description").asText());
                }
                if (f.hasNonNull("parameters")) {
                    d.set("parameters", f.get("parameters"));
                }
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            ObjectNode config = out.putObject("toolConfig").putObject("functionCallingConfig");
            if (choice.isTextual()) {
                config.put("mode", switch (choice.asText()) {
                    case "required" -> "ANY";
                    case "none" -> "NONE";
                    default -> "AUTO";
                });
            } else {
                config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
            }
        }
        ObjectNode generation = Json.MAPPER.createObjectNode();
        RequestParams.copy(in, "temperature", generation, "temperature");
        RequestParams.copy(in, "top_p", generation, "topP");
        RequestParams.putMaxTokens(in, generation, "maxOutputTokens");
        RequestParams.putStop(in, generation, "stopSequences");
        RequestParams.copy(in, "n", generation, "candidateCount");
        RequestParams.copy(in, "seed", generation, "seed");
        RequestParams.copy(in, "presence_penalty", generation, "presencePenalty");
        RequestParams.copy(in, "frequency_penalty", generation, "frequencyPenalty");
        JsonNode format = in.get("response_format");
        if (format != null && !format.isNull()) {
            String type = format.path("type").asText();
            if (type.equals("json_object") || type.equals("json_schema")) {
                generation.put("responseMimeType", "application/json");
            }
            if (type.equals("json_schema") && format.path("json_schema").hasNonNull("schema")) {
                generation.set("responseJsonSchema", format.path("json_schema").get("schema"));
            }
        }
        if (!generation.isEmpty()) {
            out.set("generationConfig", generation);
        }
        return out;
    }

    private static JsonNode toolResponse(String content) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(content);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (Exception ignored) {
            // plain text result
        }
        return Json.MAPPER.createObjectNode().put("content", content);
    }

    private static ArrayNode userParts(JsonNode content, String param) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (ContentParts.Part part : ContentParts.parts(content, param)) {
            if (part.image() == null) {
                parts.addObject().put("text", part.text());
            } else if (part.image().inline()) {
                parts.addObject().putObject("inlineData").put("mimeType", part.image().mediaType()).put("data", part.image().data());
            } else {
                parts.addObject().putObject("fileData").put("fileUri", part.image().url());
            }
        }
        return parts;
    }

    private static ArrayNode modelParts(JsonNode m, String param, Map<String, String> toolNames) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        String text = ContentParts.text(m.get("content"));
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String name = c.path("function").path("name").asText();
                toolNames.put(c.path("id").asText(), name);
                JsonNode args = ToolArguments.parse(
                        c.path("function").path("arguments").asText("{}"), param + ".tool_calls[" + i + "]");
                parts.addObject().putObject("functionCall").put("name", name).set("args", args);
            }
        }
        return parts;
    }
}
