package dev.tollgate.gateway.provider.cohere;

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

import java.util.Set;

/** OpenAI chat request → Cohere v2 chat request. */
final class CohereRequests {

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "n",
            "seed", "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice");

    private CohereRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ProviderSpecs.COHERE.id(), SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", request.backend().model());
        ArrayNode messages = out.putArray("messages");
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> messages.addObject().put("role", "system").put("content", m.text());
                case USER -> messages.addObject().put("role", "user").set("content", userContent(m.content(), m.contentParam()));
                case ASSISTANT -> messages.add(assistant(m.node(), m.param()));
                case TOOL -> messages.addObject().put("role", "tool").put("tool_call_id", m.node().path("tool_call_id").asText())
                        .put("content", m.text());
            }
        }
        if (in.hasNonNull("tools")) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode t : in.get("tools")) {
                JsonNode f = t.path("function");
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", f.path("name").asText());
                if (f.hasNonNull("description")) {
                    function.put("description", f.get("description").asText());
                }
                function.set("parameters", f.hasNonNull("parameters") ? f.get("parameters") : Json.MAPPER.createObjectNode().put("type", "object"));
            }
        }
        String choice = toolChoice(request);
        if (choice != null) {
            out.put("tool_choice", choice);
        }
        RequestParams.putMaxTokens(in, out, "max_tokens");
        RequestParams.copy(in, "temperature", out, "temperature");
        RequestParams.copy(in, "top_p", out, "p");
        RequestParams.putStop(in, out, "stop_sequences");
        RequestParams.copy(in, "seed", out, "seed");
        RequestParams.copy(in, "frequency_penalty", out, "frequency_penalty");
        RequestParams.copy(in, "presence_penalty", out, "presence_penalty");
        JsonNode format = in.get("response_format");
        if (format != null && !format.isNull()) {
            String type = format.path("type").asText();
            if (type.equals("json_object") || type.equals("json_schema")) {
                ObjectNode f = out.putObject("response_format").put("type", "json_object");
                if (type.equals("json_schema") && format.path("json_schema").hasNonNull("schema")) {
                    f.set("json_schema", format.path("json_schema").get("schema"));
                }
            }
        }
        out.put("stream", request.stream());
        return out;
    }

    /** Cohere knows {@code REQUIRED} and {@code NONE}; {@code auto} is its default; a named tool is not supported. */
    private static String toolChoice(ProviderRequest request) {
        JsonNode choice = request.body().get("tool_choice");
        if (choice == null || choice.isNull() || !request.body().hasNonNull("tools")) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "required" -> "REQUIRED";
                case "none" -> "NONE";
                default -> null;
            };
        }
        if (request.dropUnsupportedParams()) {
            return "REQUIRED";
        }
        throw GatewayException.invalidRequest("tool_choice", "Unsupported parameter: a named 'tool_choice' is not supported by provider '"
                + ProviderSpecs.COHERE.id() + "' (backend '" + request.backend().name() + "'). Use \"required\", or set dropUnsupportedParams: true on the route.");
    }

    private static JsonNode userContent(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content;
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (ContentParts.Part part : ContentParts.parts(content, param)) {
            if (part.image() == null) {
                parts.addObject().put("type", "text").put("text", part.text());
            } else {
                String url = part.image().inline() ? "data:" + part.image().mediaType() + ";base64," + part.image().data() : part.image().url();
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
            }
        }
        return parts;
    }

    private static ObjectNode assistant(JsonNode m, String param) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("role", "assistant");
        String text = ContentParts.text(m.get("content"));
        JsonNode calls = m.get("tool_calls");
        boolean hasCalls = calls != null && calls.isArray() && !calls.isEmpty();
        if (!text.isEmpty()) {
            out.put("content", text);
        }
        if (hasCalls) {
            ArrayNode toolCalls = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String arguments = c.path("function").path("arguments").asText("{}");
                ToolArguments.parse(arguments, param + ".tool_calls[" + i + "]");
                ObjectNode call = toolCalls.addObject().put("id", c.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", c.path("function").path("name").asText()).put("arguments", arguments);
            }
        }
        return out;
    }
}
