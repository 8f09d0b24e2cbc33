package dev.tollgate.gateway.request;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import io.javalin.http.Context;

/** JSON bodies of the gateway's HTTP API: a client's request body read as an object, and JSON answers written. */
public final class JsonBody {

    private JsonBody() {
    }

    /**
     * The request body as a JSON object; a 400 in the gateway's words when it is nested too deep, is not JSON
     * ({@link MalformedJson}) or is not an object.
     */
    public static ObjectNode object(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw GatewayException.invalidRequest(null, "The request body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels.");
        } catch (JacksonException e) {
            throw MalformedJson.error(e);
        } catch (Exception e) {
            throw GatewayException.invalidRequest(null, "We could not parse the JSON body of your request.");
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest(null, "The request body must be a JSON object.");
        }
        return (ObjectNode) root;
    }

    /** Answers with {@code body} as JSON (the status as already set, 200 by default). */
    public static void send(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(Json.bytes(body));
    }
}
