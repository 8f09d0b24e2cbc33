package dev.tollgate.gateway.provider.ollama;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

/** OpenAI chat request → Ollama {@code /api/chat} request. */
final class OllamaRequests {

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed",
            "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice");

    private OllamaRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ProviderSpecs.OLLAMA.id(), SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", request.backend().model());
        ArrayNode messages = out.putArray("messages");
        Map<String, String> toolNames = new HashMap<>();
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> messages.addObject().put("role", "system").put("content", m.text());
                case USER -> messages.add(user(m.content(), m.contentParam()));
                case ASSISTANT -> messages.add(assistant(m.node(), m.param(), toolNames));
                case TOOL -> {
                    String id = m.node().path("tool_call_id").asText();
                    String name = toolNames.get(id);
                    if (name == null) {
                        throw GatewayException.invalidRequest(m.param() + ".tool_call_id", "No earlier assistant tool call has the id '" + id + "'.");
                    }
                    messages.addObject().put("role", "tool").put("content", m.text()).put("tool_name", name);
                }
            }
        }
        if (in.hasNonNull("tools") && toolsWanted(request)) {
            out.set("tools", in.get("tools"));
        }
        JsonNode format = in.get("response_format");
        if (format != null && !format.isNull()) {
            String type = format.path("type").asText();
            if (type.equals("json_schema") && format.path("json_schema").hasNonNull("schema")) {
                out.set("format", format.path("json_schema").get("schema"));
            } else if (type.equals("json_object") || type.equals("json_schema")) {
                out.put("format", "json");
            }
        }
        ObjectNode options = Json.MAPPER.createObjectNode();
        RequestParams.copy(in, "temperature", options, "temperature");
        RequestParams.copy(in, "top_p", options, "top_p");
        RequestParams.putMaxTokens(in, options, "num_predict");
        RequestParams.putStop(in, options, "stop");
        RequestParams.copy(in, "seed", options, "seed");
        RequestParams.copy(in, "presence_penalty", options, "presence_penalty");
        RequestParams.copy(in, "frequency_penalty", options, "frequency_penalty");
        if (!options.isEmpty()) {
            out.set("options", options);
        }
        out.put("stream", request.stream());
        return out;
    }

    /**
     * Ollama has no {@code tool_choice}: {@code auto} is its behaviour and {@code none} is honoured by not sending the
     * tools; {@code required} or a named tool cannot be honoured.
     */
    private static boolean toolsWanted(ProviderRequest request) {
        JsonNode choice = request.body().get("tool_choice");
        if (choice == null || choice.isNull() || (choice.isTextual() && choice.asText().equals("auto"))) {
            return true;
        }
        if (choice.isTextual() && choice.asText().equals("none")) {
            return false;
        }
        if (request.dropUnsupportedParams()) {
            return true;
        }
        throw GatewayException.invalidRequest("tool_choice", "Unsupported parameter: 'tool_choice' other than auto or none is not supported by provider '"
                + ProviderSpecs.OLLAMA.id() + "' (backend '" + request.backend().name() + "'). Remove it, or set dropUnsupportedParams: true on the route.");
    }

    private static ObjectNode user(JsonNode content, String param) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("role", "user");
        StringBuilder text = new StringBuilder();
        ArrayNode images = Json.MAPPER.createArrayNode();
        List<ContentParts.Part> parts = ContentParts.parts(content, param);
        for (int i = 0; i < parts.size(); i++) {
            ContentParts.Part part = parts.get(i);
            if (part.image() == null) {
                text.append(part.text());
            } else if (part.image().inline()) {
                images.add(part.image().data());
            } else {
                throw GatewayException.invalidRequest(param + "[" + i + "]",
                        "Provider 'ollama' takes images only as base64 data URLs (data:<media type>;base64,...), not http(s) URLs.");
            }
        }
        out.put("content", text.toString());
        if (!images.isEmpty()) {
            out.set("images", images);
        }
        return out;
    }

    private static ObjectNode assistant(JsonNode m, String param, Map<String, String> toolNames) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ContentParts.text(m.get("content")));
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray() && !calls.isEmpty()) {
            ArrayNode toolCalls = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String name = c.path("function").path("name").asText();
                toolNames.put(c.path("id").asText(), name);
                JsonNode arguments = ToolArguments.parse(c.path("function").path("arguments").asText("{}"), param + ".tool_calls[" + i + "]");
                toolCalls.addObject().putObject("function").put("name", name).set("arguments", arguments);
            }
        }
        return out;
    }
}
