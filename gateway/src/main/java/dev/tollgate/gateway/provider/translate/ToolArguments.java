package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;

/** Parses an OpenAI tool call's {@code arguments} string into the JSON object native APIs expect. */
public final class ToolArguments {

    private ToolArguments() {
    }

    public static JsonNode parse(String arguments, String param) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (Exception ignored) {
            // reported below
        }
        throw GatewayException.invalidRequest(param + ".function.arguments", "Invalid tool call arguments: expected a JSON object.");
    }
}
