package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.request.JsonBody;
import dev.tollgate.gateway.request.RequestShape;

import java.util.Set;

/**
 * An OpenAI Responses API request → the equivalent chat completions request: {@code instructions} and {@code input}
 * (a string, or message, {@code function_call} and {@code function_call_output} items) become {@code messages};
 * function tools, {@code tool_choice}, {@code max_output_tokens}, {@code text.format}, {@code reasoning.effort},
 * sampling, {@code user} and {@code metadata} map to their chat names. What only a native Responses backend can serve
 * (built-in tools, file inputs) is not refused at once but kept as {@link Translation#untranslatable()}: the request
 * still passes through to OpenAI or Azure, and any other backend refuses it with that 400. Conversation state
 * ({@code previous_response_id}, {@code conversation}, {@code background}) is refused for every backend: the gateway
 * keeps none, and the next request may go to another backend.
 */
final class ResponsesRequests {

    /** A translated request: the chat body, and the first thing only a native backend could serve (else null). */
    record Translation(ObjectNode chat, GatewayException untranslatable) {
    }

    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");

    private ResponsesRequests() {
    }

    /** Parses and checks a Responses request body: the fields every backend needs, with Responses' parameter names. */
    static ObjectNode parse(byte[] bytes) {
        ObjectNode body = JsonBody.object(bytes);
        if (!body.path("model").isTextual() || body.get("model").asText().isBlank()) {
            throw GatewayException.invalidRequest("model", "Missing required parameter: 'model' (a non-empty string).");
        }
        if (present(body.get("previous_response_id"))) {
            throw GatewayException.invalidRequest("previous_response_id", "'previous_response_id' is not supported by this gateway: it keeps "
                    + "no conversation state. Send the whole conversation in 'input' (earlier output items included).");
        }
        if (present(body.get("conversation"))) {
            throw GatewayException.invalidRequest("conversation", "'conversation' is not supported by this gateway: it keeps no "
                    + "conversation state. Send the whole conversation in 'input'.");
        }
        if (body.path("background").asBoolean(false)) {
            throw GatewayException.invalidRequest("background", "'background' responses are not supported by this gateway: it keeps no "
                    + "response state. Use 'stream' for long responses.");
        }
        JsonNode input = body.get("input");
        if (!present(input)) {
            throw GatewayException.invalidRequest("input", "Missing required parameter: 'input'.");
        }
        if (!input.isTextual() && !input.isArray()) {
            throw type("input", "a string or an array of input items");
        }
        if (input.isArray() && input.isEmpty()) {
            throw GatewayException.invalidRequest("input", "Invalid 'input': empty array. Expected an array with minimum length 1.");
        }
        optionalText(body, "instructions");
        optionalText(body, "user");
        for (String field : new String[] {"temperature", "top_p"}) {
            if (present(body.get(field)) && !body.get(field).isNumber()) {
                throw type(field, "a number");
            }
        }
        for (String field : new String[] {"stream", "store", "parallel_tool_calls"}) {
            if (present(body.get(field)) && !body.get(field).isBoolean()) {
                throw type(field, "a boolean");
            }
        }
        JsonNode max = body.get("max_output_tokens");
        if (present(max) && (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1 || max.intValue() > RequestShape.MAX_TOKENS)) {
            throw GatewayException.invalidRequest("max_output_tokens", "Invalid 'max_output_tokens': expected an integer from 1 to "
                    + RequestShape.MAX_TOKENS + ".");
        }
        for (String field : new String[] {"metadata", "text", "reasoning"}) {
            if (present(body.get(field)) && !body.get(field).isObject()) {
                throw type(field, "an object");
            }
        }
        JsonNode tools = body.get("tools");
        if (present(tools) && !tools.isArray()) {
            throw type("tools", "an array of tools");
        }
        return body;
    }

    /** The chat completions request for a checked Responses body. */
    static Translation toChat(ObjectNode body) {
        Translator t = new Translator();
        ObjectNode chat = Json.MAPPER.createObjectNode();
        chat.put("model", body.get("model").asText());
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = body.get("instructions");
        if (present(instructions) && !instructions.asText().isEmpty()) {
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        JsonNode input = body.get("input");
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
        } else {
            for (int i = 0; i < input.size(); i++) {
                t.item(input.get(i), "input[" + i + "]", messages);
            }
        }
        if (messages.isEmpty()) {
            throw GatewayException.invalidRequest("input", "Invalid 'input': it holds no message to answer.");
        }
        JsonNode tools = body.get("tools");
        if (present(tools) && !tools.isEmpty()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (int i = 0; i < tools.size(); i++) {
                t.tool(tools.get(i), "tools[" + i + "]", out);
            }
            if (!out.isEmpty()) {
                chat.set("tools", out);
            }
        }
        t.toolChoice(body.get("tool_choice"), chat);
        copy(body, "temperature", chat, "temperature");
        copy(body, "top_p", chat, "top_p");
        copy(body, "parallel_tool_calls", chat, "parallel_tool_calls");
        copy(body, "user", chat, "user");
        copy(body, "metadata", chat, "metadata");
        copy(body, "max_output_tokens", chat, "max_completion_tokens");
        JsonNode effort = body.path("reasoning").get("effort");
        if (present(effort)) {
            chat.set("reasoning_effort", effort);
        }
        t.format(body.path("text").get("format"), chat);
        if (body.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new Translation(chat, t.untranslatable);
    }

    /** Translation state: the chat messages built so far and the first native-only feature met. */
    private static final class Translator {

        GatewayException untranslatable;

        void nativeOnly(String param, String what) {
            if (untranslatable == null) {
                untranslatable = GatewayException.invalidRequest(param, what + " is only supported on backends that serve the "
                        + "Responses API natively (providers openai and azure); this request was routed to one that does not.");
            }
        }

        void item(JsonNode item, String param, ArrayNode messages) {
            if (!item.isObject()) {
                throw type(param, "an input item object");
            }
            String type = item.path("type").asText(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> message(item, param, messages);
                case "function_call" -> {
                    String callId = requiredText(item, "call_id", param);
                    String name = requiredText(item, "name", param);
                    JsonNode arguments = item.get("arguments");
                    if (present(arguments) && !arguments.isTextual()) {
                        throw type(param + ".arguments", "a string of JSON");
                    }
                    ObjectNode call = Json.MAPPER.createObjectNode().put("id", callId).put("type", "function");
                    call.putObject("function").put("name", name).put("arguments", present(arguments) ? arguments.asText() : "{}");
                    assistantForToolCalls(messages).withArray("tool_calls").add(call);
                }
                case "function_call_output" -> {
                    String callId = requiredText(item, "call_id", param);
                    JsonNode output = item.get("output");
                    String text;
                    if (output != null && output.isTextual()) {
                        text = output.asText();
                    } else if (output != null && output.isArray()) {
                        text = partsText(output, param + ".output");
                    } else {
                        throw type(param + ".output", "a string or an array of content parts");
                    }
                    messages.addObject().put("role", "tool").put("tool_call_id", callId).put("content", text);
                }
                // reasoning items from an earlier answer: a chat backend cannot take them back, and needs none
                case "reasoning" -> {
                }
                case "item_reference" -> throw GatewayException.invalidRequest(param + ".type", "Item references are not supported "
                        + "by this gateway: it keeps no conversation state. Send the item itself.");
                case "" -> throw GatewayException.invalidRequest(param + ".type", "Missing required parameter: '" + param + ".type'.");
                default -> nativeOnly(param + ".type", "The input item type '" + abbreviated(type) + "'");
            }
        }

        /** The assistant message the next tool call joins: the last message when it is the assistant's, else a new one. */
        private static ObjectNode assistantForToolCalls(ArrayNode messages) {
            if (!messages.isEmpty() && "assistant".equals(messages.get(messages.size() - 1).path("role").asText())) {
                return (ObjectNode) messages.get(messages.size() - 1);
            }
            ObjectNode m = messages.addObject().put("role", "assistant");
            m.putNull("content");
            return m;
        }

        private void message(JsonNode item, String param, ArrayNode messages) {
            JsonNode roleNode = item.get("role");
            if (roleNode == null || !roleNode.isTextual() || !ROLES.contains(roleNode.asText())) {
                throw GatewayException.invalidRequest(param + ".role", "Invalid value for '" + param + ".role': supported values are "
                        + "'user', 'assistant', 'system' and 'developer'.");
            }
            String role = roleNode.asText();
            JsonNode content = item.get("content");
            ObjectNode m = Json.MAPPER.createObjectNode().put("role", role);
            if (content != null && content.isTextual()) {
                m.put("content", content.asText());
            } else if (content != null && content.isArray()) {
                if (role.equals("user")) {
                    m.set("content", userParts(content, param + ".content"));
                } else {
                    m.put("content", partsText(content, param + ".content"));
                }
            } else {
                throw type(param + ".content", "a string or an array of content parts");
            }
            messages.add(m);
        }

        /** A user message's parts: text and images (by URL or data URL) in chat's shapes. */
        private ArrayNode userParts(JsonNode content, String param) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String p = param + "[" + j + "]";
                String type = partType(part, p);
                switch (type) {
                    case "input_text", "output_text" -> out.addObject().put("type", "text").put("text", requiredText(part, "text", p));
                    case "input_image" -> {
                        JsonNode url = part.get("image_url");
                        if (url == null || !url.isTextual()) {
                            nativeOnly(p + ".file_id", "An image given by 'file_id'");
                            continue;
                        }
                        ObjectNode image = out.addObject().put("type", "image_url").putObject("image_url").put("url", url.asText());
                        if (part.path("detail").isTextual()) {
                            image.put("detail", part.get("detail").asText());
                        }
                    }
                    default -> nativeOnly(p + ".type", "The content part type '" + abbreviated(type) + "'");
                }
            }
            return out;
        }

        /** The text of an assistant/system message or tool output's parts. */
        private String partsText(JsonNode content, String param) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String p = param + "[" + j + "]";
                String type = partType(part, p);
                switch (type) {
                    case "input_text", "output_text" -> text.append(requiredText(part, "text", p));
                    case "refusal" -> text.append(requiredText(part, "refusal", p));
                    default -> nativeOnly(p + ".type", "The content part type '" + abbreviated(type) + "'");
                }
            }
            return text.toString();
        }

        private static String partType(JsonNode part, String param) {
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw type(param, "an object with a string 'type'");
            }
            return part.get("type").asText();
        }

        /** A Responses function tool {@code {type, name, description, parameters, strict}} → chat's nested shape. */
        void tool(JsonNode tool, String param, ArrayNode out) {
            if (!tool.isObject() || !tool.path("type").isTextual()) {
                throw type(param, "an object with a string 'type'");
            }
            String type = tool.get("type").asText();
            if (!type.equals("function")) {
                nativeOnly(param + ".type", "The built-in tool type '" + abbreviated(type) + "'");
                return;
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            function.put("name", requiredText(tool, "name", param));
            JsonNode description = tool.get("description");
            if (present(description)) {
                function.put("description", description.asText());
            }
            JsonNode parameters = tool.get("parameters");
            if (present(parameters)) {
                if (!parameters.isObject()) {
                    throw type(param + ".parameters", "a JSON Schema object");
                }
                function.set("parameters", parameters);
            }
            JsonNode strict = tool.get("strict");
            if (present(strict)) {
                function.set("strict", strict);
            }
        }

        void toolChoice(JsonNode choice, ObjectNode chat) {
            if (!present(choice)) {
                return;
            }
            if (choice.isTextual()) {
                if (!TOOL_CHOICES.contains(choice.asText())) {
                    throw GatewayException.invalidRequest("tool_choice", "Invalid value for 'tool_choice': supported values are 'auto', "
                            + "'none', 'required' or a function.");
                }
                chat.put("tool_choice", choice.asText());
                return;
            }
            if (!choice.isObject() || !choice.path("type").isTextual()) {
                throw type("tool_choice", "a string or an object with a string 'type'");
            }
            if (!choice.get("type").asText().equals("function")) {
                nativeOnly("tool_choice.type", "The tool choice type '" + abbreviated(choice.get("type").asText()) + "'");
                return;
            }
            chat.putObject("tool_choice").put("type", "function").putObject("function").put("name", requiredText(choice, "name", "tool_choice"));
        }

        /** {@code text.format}: a JSON schema or JSON object answer → chat's {@code response_format}. */
        void format(JsonNode format, ObjectNode chat) {
            if (!present(format)) {
                return;
            }
            String type = format.path("type").asText("");
            switch (type) {
                case "text" -> {
                }
                case "json_object" -> chat.putObject("response_format").put("type", "json_object");
                case "json_schema" -> {
                    ObjectNode schema = chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                    schema.put("name", requiredText(format, "name", "text.format"));
                    for (String field : new String[] {"description", "schema", "strict"}) {
                        if (present(format.get(field))) {
                            schema.set(field, format.get(field));
                        }
                    }
                }
                default -> throw GatewayException.invalidRequest("text.format.type", "Invalid value for 'text.format.type': supported "
                        + "values are 'text', 'json_object' and 'json_schema'.");
            }
        }
    }

    private static String requiredText(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw GatewayException.invalidRequest(param + "." + field, "Missing required parameter: '" + param + "." + field + "' (a string).");
        }
        return v.asText();
    }

    private static void optionalText(ObjectNode body, String field) {
        if (present(body.get(field)) && !body.get(field).isTextual()) {
            throw type(field, "a string");
        }
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (present(v)) {
            to.set(as, v);
        }
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull();
    }

    private static GatewayException type(String param, String expected) {
        return GatewayException.invalidRequest(param, "Invalid type for '" + param + "': expected " + expected + ".");
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
