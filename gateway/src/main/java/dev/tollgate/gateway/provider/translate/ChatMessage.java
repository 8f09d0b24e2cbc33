package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * One message of an OpenAI chat request as a translator reads it: the message and its parameter path for errors
 * ({@code messages[3]}).
 */
public record ChatMessage(JsonNode node, String param) {

    /** The roles a translator handles; {@code developer} is a system message. */
    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    /** The messages of a chat request body, in order. */
    public static List<ChatMessage> of(ObjectNode body) {
        JsonNode messages = body.get("messages");
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(new ChatMessage(messages.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    /** The message's role; 400 for a role no translator knows. */
    public Role role() {
        return switch (node.path("role").asText()) {
            case "system", "developer" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool" -> Role.TOOL;
            default -> throw GatewayException.invalidRequest(param + ".role", "Unsupported role '" + node.path("role").asText() + "'.");
        };
    }

    /** The message's {@code content}, null when it has none. */
    public JsonNode content() {
        return node.get("content");
    }

    /** The parameter path of the message's content. */
    public String contentParam() {
        return param + ".content";
    }

    /** The message's content as plain text ({@link ContentParts#text}). */
    public String text() {
        return ContentParts.text(node.get("content"));
    }

    /**
     * Appends {@code items} to the last turn of {@code turns} when it has the same role (providers that require
     * alternating roles), else as a new turn {@code {role, <field>: items}}; nothing when {@code items} is empty.
     */
    public static void appendTurn(ArrayNode turns, String role, String field, ArrayNode items) {
        if (items.isEmpty()) {
            return;
        }
        JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.path("role").asText().equals(role)) {
            ((ArrayNode) last.get(field)).addAll(items);
        } else {
            ObjectNode turn = turns.addObject();
            turn.put("role", role);
            turn.set(field, items);
        }
    }
}
