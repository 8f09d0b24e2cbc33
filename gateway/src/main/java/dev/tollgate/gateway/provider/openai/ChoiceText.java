package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The text of one OpenAI choice, read by the scans: {@code content} of its message object ({@code message} in a whole
 * answer, {@code delta} in a stream chunk) and its legacy completions {@code text}, each null unless a string.
 */
record ChoiceText(String content, String text) {

    /** Reads the choice object the parser is at (after its start) to its end. */
    static ChoiceText read(JsonParser p, String messageField) throws IOException {
        String content = null;
        String text = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("text") && value == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (field.equals(messageField) && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    if (p.nextToken() == JsonToken.VALUE_STRING && inner.equals("content")) {
                        content = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new ChoiceText(content, text);
    }
}
