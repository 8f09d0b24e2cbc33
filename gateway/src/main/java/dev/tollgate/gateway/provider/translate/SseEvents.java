package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads server-sent events ({@code event:} and {@code data:} lines up to a blank line) from an upstream stream. */
public final class SseEvents {

    /** One event; {@code name} is null when the upstream sent no {@code event:} line. */
    public record Event(String name, String data) {

        /** The event's data parsed as JSON; a bad response from {@code backend} when it is not JSON. */
        public JsonNode json(String backend) {
            try {
                return Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "an event is not JSON");
            }
        }
    }

    private final BufferedReader reader;
    private final String backend;

    public SseEvents(InputStream in, String backend) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 8192);
        this.backend = backend;
    }

    /** Returns the next event, or null at the end of the stream. */
    public Event next() {
        String name = null;
        StringBuilder data = null;
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "the stream broke off");
            }
            if (line == null) {
                return data == null ? null : new Event(name, data.toString());
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                String value = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
    }

    /** Reads one line of a newline-delimited JSON stream, or null at its end. */
    public String nextLine() {
        try {
            String line;
            do {
                line = reader.readLine();
            } while (line != null && line.isBlank());
            return line;
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend, "the stream broke off");
        }
    }
}
