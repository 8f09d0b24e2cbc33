package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;

/**
 * What the gateway needs from a whole OpenAI answer (chat, completions, embeddings), read in one pass over its tokens
 * without building a tree: the usage and, for when there is none to bill, the text of every choice
 * ({@code message.content} and {@code text}). Every token is read, so an answer that scans is one JSON object. The
 * answer itself goes to the client as the upstream sent it; a tree of it was the gateway's third-largest allocation
 * per request, and for embeddings held every float as a node.
 *
 * @param usage the usage it reports, else null
 * @param text  the choices' text when there is no usage, else null
 */
public record AnswerScan(Usage usage, String text) {

    /** Scans one answer; throws {@link IOException} when the bytes are not one JSON object. */
    public static AnswerScan of(byte[] json) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the answer is not a JSON object");
            }
            Usage usage = null;
            StringBuilder text = new StringBuilder();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("usage")) {
                    usage = OpenAiUsage.read(Json.MAPPER.readTree(p));
                } else if (field.equals("choices") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.START_OBJECT) {
                            ChoiceText choice = ChoiceText.read(p, "message");
                            text.append(choice.content() == null ? "" : choice.content())
                                    .append(choice.text() == null ? "" : choice.text());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("the answer is not one JSON object");
            }
            return new AnswerScan(usage, usage == null ? text.toString() : null);
        }
    }
}
