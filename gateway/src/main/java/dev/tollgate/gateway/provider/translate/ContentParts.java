package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/** Reads an OpenAI message's {@code content} (a string or an array of text and image parts). */
public final class ContentParts {

    /** A text part ({@code image == null}) or an image part. */
    public record Part(String text, Image image) {
    }

    /**
     * An image: {@code data} holds base64 bytes and {@code mediaType} their type for a data URL; otherwise {@code url}.
     */
    public record Image(String url, String mediaType, String data) {
        public boolean inline() {
            return data != null;
        }
    }

    private ContentParts() {
    }

    public static List<Part> parts(JsonNode content, String param) {
        List<Part> out = new ArrayList<>();
        if (content == null || content.isNull()) {
            return out;
        }
        if (content.isTextual()) {
            out.add(new Part(content.asText(), null));
            return out;
        }
        if (!content.isArray()) {
            throw GatewayException.invalidRequest(param, "Invalid '" + param + "': expected a string or an array of content parts.");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> out.add(new Part(part.path("text").asText(""), null));
                case "image_url" -> out.add(new Part(null, image(part.path("image_url").path("url").asText(""), param + "[" + i + "]")));
                default -> throw GatewayException.invalidRequest(param + "[" + i + "].type",
                        "Unsupported content part type '" + type + "' for this backend.");
            }
        }
        return out;
    }

    /** All text of a content value, parts joined without separator. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText("").equals("text")) {
                sb.append(part.path("text").asText(""));
            }
        }
        return sb.toString();
    }

    static Image image(String url, String param) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            int semicolon = url.indexOf(';');
            if (comma < 0 || semicolon < 0 || semicolon > comma || !url.substring(semicolon, comma).equals(";base64")) {
                throw GatewayException.invalidRequest(param, "Invalid image data URL: expected data:<media type>;base64,<data>.");
            }
            return new Image(null, url.substring(5, semicolon), url.substring(comma + 1));
        }
        if (url.startsWith("https://") || url.startsWith("http://")) {
            return new Image(url, null, null);
        }
        throw GatewayException.invalidRequest(param, "Invalid image URL: expected an http(s) URL or a base64 data URL.");
    }
}
