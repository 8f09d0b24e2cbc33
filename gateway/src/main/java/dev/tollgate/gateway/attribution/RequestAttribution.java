package dev.tollgate.gateway.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.LedgerEntry.Attribution;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads whom and what a client attributes a request to, for the ledger: the end user from OpenAI's {@code user} field
 * (the Anthropic API's {@code metadata.user_id} arrives translated to it), and tags from the {@code x-tollgate-tags}
 * header ({@code tag1,team=search}: comma-separated, each kept as written) and from OpenAI's {@code metadata} (each
 * pair as the tag {@code key=value}). Bounded as OpenAI bounds {@code metadata}; a value out of bounds is a 400 naming
 * the field or header. Only these fields are read, never the request's content.
 */
public final class RequestAttribution {

    /** The header that carries tags. */
    public static final String TAGS_HEADER = "x-tollgate-tags";

    /** Most tags in the header. */
    static final int MAX_HEADER_TAGS = 16;
    /** Longest tag in the header, in characters. */
    static final int MAX_HEADER_TAG_LENGTH = 128;
    /** OpenAI's bounds of {@code metadata}: 16 pairs, keys up to 64 characters, string values up to 512. */
    static final int MAX_METADATA_PAIRS = 16;
    static final int MAX_METADATA_KEY_LENGTH = 64;
    static final int MAX_METADATA_VALUE_LENGTH = 512;
    /** Longest end-user id, in characters. */
    static final int MAX_USER_LENGTH = 256;

    private RequestAttribution() {
    }

    /**
     * The attribution of a request from its {@code x-tollgate-tags} header lines (several count as one comma-separated
     * list) and its body.
     *
     * @throws GatewayException 400 naming the header or field that is out of bounds
     */
    public static Attribution ofRequest(Context ctx, JsonNode body) {
        Enumeration<String> lines = ctx.req().getHeaders(TAGS_HEADER);
        String header = null;
        if (lines != null && lines.hasMoreElements()) {
            String first = lines.nextElement();
            header = lines.hasMoreElements() ? first + "," + String.join(",", Collections.list(lines)) : first;
        }
        return of(header, body);
    }

    /**
     * The attribution of a request.
     *
     * @param tagsHeader the {@code x-tollgate-tags} header (several header lines joined with commas), or null
     * @param body       the request body in OpenAI's chat, completions or embeddings format
     * @throws GatewayException 400 naming the header or field that is out of bounds
     */
    public static Attribution of(String tagsHeader, JsonNode body) {
        String user = user(body.get("user"));
        JsonNode metadata = body.get("metadata");
        boolean hasMetadata = metadata != null && metadata.isObject() && !metadata.isEmpty();
        if (user == null && tagsHeader == null && !hasMetadata) {
            return Attribution.NONE;
        }
        Set<String> tags = new LinkedHashSet<>();
        if (tagsHeader != null) {
            headerTags(tagsHeader, tags);
        }
        if (hasMetadata) {
            metadataTags(metadata, tags);
        }
        return new Attribution(user, new ArrayList<>(tags));
    }

    private static String user(JsonNode user) {
        if (user == null || user.isNull()) {
            return null;
        }
        if (!user.isTextual()) {
            throw GatewayException.invalidRequest("user", "Invalid type for 'user': expected a string.");
        }
        String value = user.textValue();
        if (value.length() > MAX_USER_LENGTH) {
            throw GatewayException.invalidRequest("user", "Invalid 'user': string too long. Expected a string with maximum length "
                    + MAX_USER_LENGTH + ", but got a string with length " + value.length() + " instead.");
        }
        return value.isEmpty() ? null : value;
    }

    private static void headerTags(String header, Set<String> tags) {
        int count = 0;
        int start = 0;
        while (start <= header.length()) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            String tag = header.substring(start, end).strip();
            start = end + 1;
            if (tag.isEmpty()) {
                continue;
            }
            if (++count > MAX_HEADER_TAGS) {
                throw headerError("at most " + MAX_HEADER_TAGS + " tags are allowed");
            }
            if (tag.length() > MAX_HEADER_TAG_LENGTH) {
                throw headerError("a tag is longer than " + MAX_HEADER_TAG_LENGTH + " characters");
            }
            for (int i = 0; i < tag.length(); i++) {
                char c = tag.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw headerError("a tag contains a control character");
                }
            }
            tags.add(tag);
        }
    }

    private static GatewayException headerError(String why) {
        return GatewayException.invalidRequest(TAGS_HEADER, "Invalid '" + TAGS_HEADER + "' header: " + why
                + ". Expected comma-separated tags such as 'nightly,feature=search'.");
    }

    private static void metadataTags(JsonNode metadata, Set<String> tags) {
        if (metadata.size() > MAX_METADATA_PAIRS) {
            throw GatewayException.invalidRequest("metadata", "Invalid 'metadata': too many properties. Expected an object with at most "
                    + MAX_METADATA_PAIRS + " properties, but got " + metadata.size() + " instead.");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = metadata.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String param = "metadata." + key;
            if (key.length() > MAX_METADATA_KEY_LENGTH) {
                throw GatewayException.invalidRequest("metadata", "Invalid 'metadata': a key is longer than "
                        + MAX_METADATA_KEY_LENGTH + " characters.");
            }
            if (!field.getValue().isTextual()) {
                throw GatewayException.invalidRequest(param, "Invalid type for '" + param + "': expected a string.");
            }
            String value = field.getValue().textValue();
            if (value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw GatewayException.invalidRequest(param, "Invalid '" + param + "': string too long. Expected a string with maximum length "
                        + MAX_METADATA_VALUE_LENGTH + ", but got a string with length " + value.length() + " instead.");
            }
            tags.add(key + "=" + value);
        }
    }
}
