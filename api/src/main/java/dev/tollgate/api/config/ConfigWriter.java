package dev.tollgate.api.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes a {@link GatewayConfig} as YAML that {@link ConfigLoader} reads back to an equal config: durations as
 * ISO-8601 ({@code PT30S}), instants as ISO-8601, decimals as exact strings, key material only as hashes.
 * The output is deterministic (same config, same bytes), so a hash of it can serve as a config version.
 */
public final class ConfigWriter {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().addSerializer(BigDecimal.class, new ExactDecimal()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(DatabaseSettings.class, DatabaseSettingsMixin.class)
            .addMixIn(Limits.class, LimitsMixin.class)
            .addMixIn(Pricing.class, PricingMixin.class)
            .addMixIn(Pricing.LongContext.class, LongContextMixin.class);

    private ConfigWriter() {
    }

    /**
     * The config as a YAML tree, for a writer that must put in a value the records cannot hold (such as an
     * {@code ${ENV}} reference where the record has a URI); {@link #write(JsonNode)} writes it in the same form.
     */
    public static ObjectNode tree(GatewayConfig config) {
        return YAML.valueToTree(config);
    }

    public static String write(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a YAML tree is always serializable", e);
        }
    }

    /** Decimals as strings in plain notation: YAML floats would lose the scale ({@code 10.00} → {@code 10.0}). */
    private static final class ExactDecimal extends StdSerializer<BigDecimal> {
        ExactDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toPlainString());
        }
    }

    // Mixins: Jackson reads their annotated method signatures by reflection; nothing calls them (hence the UnusedMethod suppressions).

    @SuppressWarnings("UnusedMethod")
    private abstract static class DatabaseSettingsMixin {
        @JsonIgnore
        abstract boolean isSqlite();
    }

    @SuppressWarnings("UnusedMethod")
    private abstract static class LimitsMixin {
        @JsonIgnore
        abstract boolean isEmpty();
    }

    @SuppressWarnings("UnusedMethod")
    private abstract static class PricingMixin {
        @JsonIgnore
        abstract BigDecimal cachedOrInput();

        @JsonIgnore
        abstract BigDecimal cacheWriteOrInput();

        @JsonIgnore
        abstract BigDecimal reasoningOrOutput();
    }

    /** {@code longContext} is written flat, as the loader reads it: the threshold beside the prices. */
    @SuppressWarnings("UnusedMethod")
    private abstract static class LongContextMixin {
        @JsonUnwrapped
        abstract Pricing pricing();
    }
}
