package dev.tollgate.gateway.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.gateway.json.Json;

import java.util.Map;

/**
 * Redacts JSON by its decoded values, never its escaped text: in {@code "Call\n+44 20 7946 0018"} the pattern sees a
 * line break, not the letter {@code n} glued to the number, and a mask can never break an escape, so the result is
 * always valid JSON. String values are redacted; so is an integer that is a card number (it becomes a string; other
 * numbers are kept: without words around them a phone cannot be told from an id or a timestamp); a string that itself holds a JSON document (tool-call arguments) is redacted the same way
 * and written back compact. Field names are kept.
 */
public final class JsonRedaction {

    /** How deep JSON inside JSON strings is followed (arguments inside a message inside a body). */
    private static final int MAX_EMBEDDED_DEPTH = 3;
    private static final int MIN_CARD_DIGITS = 13;
    private static final ObjectReader WHOLE_DOCUMENT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Redactor redactor;

    public JsonRedaction(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The tree with its values redacted; the same instance when nothing needed masking. */
    public JsonNode redact(JsonNode node) {
        return redact(node, 0);
    }

    /**
     * Stored text redacted: a JSON document (a whole provider answer) value by value, written back as valid JSON (as
     * received when nothing needed masking); any other text as text.
     */
    public String redactText(String text) {
        return redactText(text, 0);
    }

    @SuppressWarnings("ReferenceEquality") // unchanged is the same object: redact returns its input when nothing matched
    private String redactText(String text, int depth) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (depth < MAX_EMBEDDED_DEPTH && looksLikeJson(text)) {
            JsonNode tree = parse(text);
            if (tree != null) {
                JsonNode redacted = redact(tree, depth);
                return redacted == tree ? text : redacted.toString();
            }
        }
        return redactor.redact(text);
    }

    @SuppressWarnings("ReferenceEquality") // unchanged is the same object, as above
    private JsonNode redact(JsonNode node, int depth) {
        if (node.isTextual()) {
            String value = node.textValue();
            String redacted = redactText(value, depth + 1);
            return redacted == value ? node : TextNode.valueOf(redacted);
        }
        if (node.isIntegralNumber()) {
            String digits = node.asText();
            return digits.length() >= MIN_CARD_DIGITS && isCard(digits) ? TextNode.valueOf("[REDACTED:CARD]") : node;
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = redact(field.getValue(), depth);
                if (value != field.getValue() && copy == null) {
                    copy = ((ObjectNode) node).deepCopy();
                }
                if (copy != null) {
                    copy.set(field.getKey(), value);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode value = redact(node.get(i), depth);
                if (value != node.get(i) && copy == null) {
                    copy = ((ArrayNode) node).deepCopy();
                }
                if (copy != null) {
                    copy.set(i, value);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    /** A bare number has no words around it to tell a phone from an id, so only the Luhn-checked card counts. */
    private boolean isCard(String digits) {
        for (Redactor.Match m : redactor.find(digits)) {
            if (m.kind().equals("CARD") && m.start() == 0 && m.end() == digits.length()) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static JsonNode parse(String text) {
        try {
            return WHOLE_DOCUMENT.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
