package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses OpenAI request parameters a provider cannot honour with a 400 naming the parameter, unless the route
 * drops them ({@code dropUnsupportedParams}); translators then simply do not read them.
 */
public final class RequestParams {

    /** Parameters every chat translator reads or safely ignores. */
    public static final Set<String> COMMON = Set.of("model", "messages", "stream", "stream_options", "user");

    private RequestParams() {
    }

    /** The body of a chat request for a provider that serves chat only: {@link #requireChat}, then {@link #check}. */
    public static ObjectNode checkChat(ProviderRequest request, String providerId, Set<String> supported) {
        requireChat(request, providerId);
        check(request, providerId, supported);
        return request.body();
    }

    public static void check(ProviderRequest request, String providerId, Set<String> supported) {
        if (request.dropUnsupportedParams()) {
            return;
        }
        ObjectNode body = request.body();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String name = f.getKey();
            JsonNode value = f.getValue();
            if (value.isNull() || COMMON.contains(name) || supported.contains(name)) {
                continue;
            }
            if (name.equals("n") && value.asInt(1) == 1) {
                continue;
            }
            throw unsupported(name, providerId, request.backend().name());
        }
    }

    public static GatewayException unsupported(String param, String providerId, String backend) {
        return GatewayException.invalidRequest(param, "Unsupported parameter: '" + param + "' is not supported by provider '"
                + providerId + "' (backend '" + backend + "'). Remove it, or set dropUnsupportedParams: true on the route.");
    }

    /** Refuses any endpoint but chat completions. */
    public static void requireChat(ProviderRequest request, String providerId) {
        if (request.endpoint() != Endpoint.CHAT) {
            throw GatewayException.invalidRequest(null, "The " + request.endpoint().path() + " endpoint is not supported by provider '"
                    + providerId + "' (backend '" + request.backend().name() + "').");
        }
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else null. */
    public static Integer maxTokens(ObjectNode body) {
        JsonNode v = body.get("max_completion_tokens");
        if (v == null || v.isNull()) {
            v = body.get("max_tokens");
        }
        return v == null || v.isNull() ? null : v.asInt();
    }

    /** {@code stop} as a list (a string or an array of strings), or null. */
    public static List<String> stop(ObjectNode body) {
        JsonNode v = body.get("stop");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>();
        v.forEach(s -> out.add(s.asText()));
        return out;
    }

    /** Puts {@link #maxTokens} as {@code field} of {@code out}, when the request sets it. */
    public static void putMaxTokens(ObjectNode body, ObjectNode out, String field) {
        Integer max = maxTokens(body);
        if (max != null) {
            out.put(field, max);
        }
    }

    /** Puts {@link #stop} as the array {@code field} of {@code out}, when the request sets it. */
    public static void putStop(ObjectNode body, ObjectNode out, String field) {
        List<String> stop = stop(body);
        if (stop != null) {
            ArrayNode s = out.putArray(field);
            stop.forEach(s::add);
        }
    }

    /** Copies {@code from} of the request body to {@code to} of {@code out}, when it is set and not null. */
    public static void copy(ObjectNode body, String from, ObjectNode out, String to) {
        if (body.hasNonNull(from)) {
            out.set(to, body.get(from));
        }
    }
}
