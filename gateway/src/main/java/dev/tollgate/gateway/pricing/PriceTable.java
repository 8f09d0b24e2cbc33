package dev.tollgate.gateway.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Built-in USD prices per million tokens for common models, read once from {@code prices.json} on the classpath.
 * A backend's own {@code pricing} always wins. Sources are listed in docs/pricing.md.
 */
public final class PriceTable {

    private final Map<String, Pricing> byModel;

    private PriceTable(Map<String, Pricing> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    public static PriceTable builtIn() {
        try (InputStream in = PriceTable.class.getResourceAsStream("/prices.json")) {
            if (in == null) {
                throw new IllegalStateException("prices.json is missing from the classpath");
            }
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, Pricing> prices = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> models = root.path("models").fields();
            while (models.hasNext()) {
                Map.Entry<String, JsonNode> e = models.next();
                JsonNode p = e.getValue();
                prices.put(e.getKey(), new Pricing(new BigDecimal(p.get("input").asText()), new BigDecimal(p.get("output").asText()),
                        p.hasNonNull("cachedInput") ? new BigDecimal(p.get("cachedInput").asText()) : null));
            }
            return new PriceTable(prices);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Price of an upstream model name; tries the name without a {@code provider/} prefix and without a date suffix. */
    public Optional<Pricing> find(String model) {
        if (model == null) {
            return Optional.empty();
        }
        Pricing p = byModel.get(model);
        if (p == null && model.contains("/")) {
            p = byModel.get(model.substring(model.lastIndexOf('/') + 1));
        }
        if (p == null && model.matches(".*-\\d{4}-\\d{2}-\\d{2}$")) {
            p = byModel.get(model.substring(0, model.length() - 11));
        }
        return Optional.ofNullable(p);
    }
}
