package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;

/**
 * What the relay needs from one OpenAI stream chunk, read in a single pass over its tokens without building a tree:
 * an error, the usage, how many choices it has, and the first choice's text. Every token is read, so a chunk that
 * scans is valid JSON. A tree per chunk had been two thirds of a stream's allocation (bench/RESULTS.md).
 *
 * @param error    the error's message when the chunk carries an {@code error} field, else null
 * @param usage    the usage it reports, else null
 * @param choices  how many choices it has: -1 when {@code choices} is missing or not an array
 * @param text     the first choice's {@code delta.content} (chat) or {@code text} (completions), else null
 */
public record ChunkScan(String error, Usage usage, int choices, String text) {

    /** Scans one chunk; throws {@link IOException} when the bytes are not one JSON object. */
    public static ChunkScan of(byte[] json) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a chunk is not a JSON object");
            }
            String error = null;
            Usage usage = null;
            int choices = -1;
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "error" -> {
                        JsonNode e = Json.MAPPER.readTree(p);
                        error = e == null ? "error event" : e.path("message").asText("error event");
                    }
                    case "usage" -> usage = OpenAiUsage.read(Json.MAPPER.readTree(p));
                    case "choices" -> {
                        if (value == JsonToken.START_ARRAY) {
                            choices = 0;
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                if (choices++ == 0 && p.currentToken() == JsonToken.START_OBJECT) {
                                    ChoiceText first = ChoiceText.read(p, "delta");
                                    text = first.content() != null ? first.content() : first.text();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("a chunk is not one JSON object");
            }
            return new ChunkScan(error, usage, choices, text);
        }
    }
}
