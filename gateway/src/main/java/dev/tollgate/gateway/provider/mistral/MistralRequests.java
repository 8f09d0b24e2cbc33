package dev.tollgate.gateway.provider.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.translate.ChatMessage;
import dev.tollgate.gateway.provider.translate.ContentParts;
import dev.tollgate.gateway.provider.translate.RequestParams;
import dev.tollgate.gateway.provider.translate.ToolArguments;

import java.util.List;
import java.util.Set;

/** OpenAI chat request → Mistral chat request, built from the fields Mistral accepts. */
final class MistralRequests {

    static final Set<String> SUPPORTED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed",
            "random_seed", "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice", "parallel_tool_calls",
            "prediction", "safe_prompt");

    /** Fields copied unchanged when present. */
    private static final List<String> COPIED = List.of("temperature", "top_p", "presence_penalty", "frequency_penalty",
            "response_format", "parallel_tool_calls", "prediction", "safe_prompt", "random_seed");

    private MistralRequests() {
    }

    static ObjectNode translate(ProviderRequest request) {
        ObjectNode in = RequestParams.checkChat(request, ProviderSpecs.MISTRAL.id(), SUPPORTED);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", request.backend().model());
        ArrayNode messages = out.putArray("messages");
        for (ChatMessage m : ChatMessage.of(in)) {
            switch (m.role()) {
                case SYSTEM -> messages.addObject().put("role", "system").put("content", m.text());
                case USER -> {
                    ContentParts.parts(m.content(), m.contentParam());
                    messages.addObject().put("role", "user").set("content", m.content());
                }
                case ASSISTANT -> messages.add(assistant(m.node(), m.param()));
                case TOOL -> {
                    ObjectNode tool = messages.addObject().put("role", "tool")
                            .put("tool_call_id", MistralToolCallIds.toMistral(m.node().path("tool_call_id").asText()));
                    if (m.node().hasNonNull("name")) {
                        tool.put("name", m.node().get("name").asText());
                    }
                    tool.put("content", m.text());
                }
            }
        }
        for (String field : COPIED) {
            RequestParams.copy(in, field, out, field);
        }
        RequestParams.putMaxTokens(in, out, "max_tokens");
        RequestParams.putStop(in, out, "stop");
        RequestParams.copy(in, "seed", out, "random_seed");
        RequestParams.copy(in, "tools", out, "tools");
        JsonNode choice = in.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            out.set("tool_choice", choice.isTextual() && choice.asText().equals("required") ? Json.MAPPER.getNodeFactory().textNode("any") : choice);
        }
        out.put("stream", request.stream());
        return out;
    }

    private static ObjectNode assistant(JsonNode m, String param) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("role", "assistant");
        out.put("content", ContentParts.text(m.get("content")));
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray() && !calls.isEmpty()) {
            ArrayNode toolCalls = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String arguments = c.path("function").path("arguments").asText("{}");
                ToolArguments.parse(arguments, param + ".tool_calls[" + i + "]");
                ObjectNode call = toolCalls.addObject().put("id", MistralToolCallIds.toMistral(c.path("id").asText())).put("type", "function");
                call.putObject("function").put("name", c.path("function").path("name").asText()).put("arguments", arguments);
            }
        }
        return out;
    }
}
