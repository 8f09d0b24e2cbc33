package dev.tollgate.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.gateway.json.Json;

import java.util.List;

/**
 * A row's tags in column {@code ledger.tags}: a JSON array of strings (a tag may hold any character, commas too), or
 * NULL for none.
 */
public final class LedgerTags {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private LedgerTags() {
    }

    /** The column value of {@code tags}: null when there are none. */
    public static String encode(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    /** The tags of a column value written by {@link #encode}. */
    public static List<String> decode(String column) {
        if (column == null || column.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(Json.MAPPER.readValue(column, LIST));
        } catch (JsonProcessingException e) {
            throw new LedgerException("ledger.tags is not a JSON array of strings", e);
        }
    }
}
