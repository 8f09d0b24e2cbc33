package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;

import java.io.IOException;

/** A whole upstream answer read as the JSON object every native provider answers with. */
public final class JsonAnswer {

    private JsonAnswer() {
    }

    /** Parses an answer as a JSON object; throws {@link UpstreamException} (bad response) when it is not JSON or not an object. */
    public static JsonNode object(String backend, byte[] body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend, "not JSON");
        }
        if (json == null || !json.isObject()) {
            throw UpstreamException.badResponse(backend, "not a JSON object");
        }
        return json;
    }

    /** {@link #object(String, byte[])}, which must have {@code field}: a bad response ("no field") otherwise. */
    public static JsonNode object(String backend, byte[] body, String field) {
        JsonNode json = object(backend, body);
        if (!json.has(field)) {
            throw UpstreamException.badResponse(backend, "no " + field);
        }
        return json;
    }
}
