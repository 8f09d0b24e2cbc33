package dev.tollgate.api.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.PriceLookup;
import dev.tollgate.api.config.Pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in price catalog: list prices of hundreds of models across the providers Tollgate can call, read once from
 * {@code prices.json} beside this class (its {@code source} and {@code asOf} say where and when the figures come from;
 * docs/pricing.md says how to update it). Looked up by provider and model with {@link ModelNames}' variants of the
 * name: exact names and aliases first, then the catalogue's prefixes, longest first. Immutable and thread-safe.
 */
public final class PriceCatalog implements PriceLookup {

    private static final String RESOURCE = "prices.json";
    private static volatile PriceCatalog builtIn;

    private final String source;
    private final LocalDate asOf;
    private final Map<String, String> providerAliases;
    private final Map<String, ProviderPrices> providers;

    /** One provider's models: exact names and aliases (lower case), and prefixes sorted longest first. */
    private record ProviderPrices(Map<String, Pricing> byName, List<Map.Entry<String, Pricing>> prefixes, int models) {
    }

    private PriceCatalog(String source, LocalDate asOf, Map<String, String> providerAliases, Map<String, ProviderPrices> providers) {
        this.source = source;
        this.asOf = asOf;
        this.providerAliases = Map.copyOf(providerAliases);
        this.providers = Map.copyOf(providers);
    }

    /** The catalog shipped in the jar, read on first use. */
    public static PriceCatalog builtIn() {
        PriceCatalog c = builtIn;
        if (c == null) {
            synchronized (PriceCatalog.class) {
                c = builtIn;
                if (c == null) {
                    try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " is missing beside " + PriceCatalog.class.getName());
                        }
                        c = read(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    builtIn = c;
                }
            }
        }
        return c;
    }

    /** Reads a catalog in the format of the built-in {@code prices.json}. */
    public static PriceCatalog read(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, String> aliases = new HashMap<>();
        root.path("providerAliases").properties().forEach(e -> aliases.put(e.getKey(), e.getValue().asText()));
        Map<String, ProviderPrices> providers = new HashMap<>();
        root.path("providers").properties().forEach(p -> providers.put(p.getKey(), provider(p.getKey(), p.getValue().path("models"))));
        return new PriceCatalog(root.path("source").asText(), LocalDate.parse(root.path("asOf").asText()), aliases, providers);
    }

    private static ProviderPrices provider(String provider, JsonNode models) {
        Map<String, Pricing> byName = new HashMap<>();
        Map<String, Pricing> prefixes = new HashMap<>();
        models.properties().forEach(m -> {
            Pricing pricing = pricing(provider + "/" + m.getKey(), m.getValue());
            byName.put(m.getKey().toLowerCase(Locale.ROOT), pricing);
            // an alias never replaces a model's own name
            m.getValue().path("aliases").forEach(a -> byName.putIfAbsent(a.asText().toLowerCase(Locale.ROOT), pricing));
            m.getValue().path("prefixes").forEach(a -> prefixes.putIfAbsent(a.asText().toLowerCase(Locale.ROOT), pricing));
        });
        List<Map.Entry<String, Pricing>> sorted = new ArrayList<>(prefixes.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, Pricing> e) -> e.getKey().length()).reversed()
                .thenComparing(Map.Entry::getKey));
        return new ProviderPrices(Map.copyOf(byName), List.copyOf(sorted), models.size());
    }

    private static Pricing pricing(String where, JsonNode m) {
        Pricing.LongContext longContext = null;
        JsonNode lc = m.path("longContext");
        if (lc.isObject()) {
            longContext = new Pricing.LongContext(lc.path("aboveInputTokens").asLong(), prices(where, lc, null));
        }
        return prices(where, m, longContext);
    }

    private static Pricing prices(String where, JsonNode m, Pricing.LongContext longContext) {
        return new Pricing(decimal(where, m, "input", true), decimal(where, m, "output", true), decimal(where, m, "cachedInput", false),
                decimal(where, m, "cacheWrite", false), decimal(where, m, "reasoning", false), longContext);
    }

    private static BigDecimal decimal(String where, JsonNode m, String field, boolean required) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalStateException(RESOURCE + ": " + where + " has no " + field + " price");
            }
            return null;
        }
        // prices are strings in the file so that they stay exact decimals
        BigDecimal d = new BigDecimal(v.asText());
        if (d.signum() < 0) {
            throw new IllegalStateException(RESOURCE + ": " + where + " has a negative " + field + " price");
        }
        return d;
    }

    @Override
    public Optional<Pricing> find(String provider, String model) {
        if (provider == null || model == null) {
            return Optional.empty();
        }
        ProviderPrices prices = providers.get(providerAliases.getOrDefault(provider, provider));
        if (prices == null) {
            return Optional.empty();
        }
        List<String> names = ModelNames.variants(provider, model);
        for (String name : names) {
            Pricing p = prices.byName().get(name);
            if (p != null) {
                return Optional.of(p);
            }
        }
        for (String name : names) {
            for (Map.Entry<String, Pricing> prefix : prices.prefixes()) {
                if (name.startsWith(prefix.getKey())) {
                    return Optional.of(prefix.getValue());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String description() {
        return "the built-in price catalog (as of " + asOf + ")";
    }

    /** Where the figures come from. */
    public String source() {
        return source;
    }

    // asOf, providers and models: for tests, which check the catalog's figures.

    /** The date the figures were taken. */
    public LocalDate asOf() {
        return asOf;
    }

    /** Provider ids with catalogued models. */
    public Set<String> providers() {
        return providers.keySet();
    }

    /** How many models a provider has in the catalog (aliases not counted). */
    public int models(String provider) {
        ProviderPrices p = providers.get(provider);
        return p == null ? 0 : p.models();
    }
}
