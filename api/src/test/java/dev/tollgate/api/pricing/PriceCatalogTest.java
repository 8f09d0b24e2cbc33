package dev.tollgate.api.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.Pricing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in catalog: its coverage, figures checked by hand against the source (and, where noted, against LiteLLM's
 * model_prices_and_context_window.json too), and the name variants a configured model is looked up under.
 */
class PriceCatalogTest {

    private final PriceCatalog catalog = PriceCatalog.builtIn();

    @Test
    void catalogCoversNineteenProvidersAndOverTwelveHundredModels() {
        assertThat(catalog.providers()).contains("openai", "azure", "anthropic", "gemini", "bedrock", "mistral", "cohere", "groq",
                "together", "fireworks", "deepseek", "xai", "perplexity", "openrouter", "cerebras", "novita", "moonshot", "minimax", "zhipu");
        assertThat(catalog.providers().stream().mapToInt(catalog::models).sum()).isEqualTo(1268);
        assertThat(catalog.models("openai")).isEqualTo(90);
        assertThat(catalog.models("bedrock")).isEqualTo(93);
        assertThat(catalog.models("anthropic")).isEqualTo(23);
    }

    @Test
    void catalogSaysWhereAndWhenItsFiguresComeFrom() {
        assertThat(catalog.asOf()).isEqualTo(LocalDate.of(2026, 9, 23));
        assertThat(catalog.source()).contains("@pydantic/genai-prices 0.1.8", "MIT");
        assertThat(catalog.description()).isEqualTo("the built-in price catalog (as of 2026-09-23)");
    }

    @Test
    void openAiGpt4oHasInputOutputAndCachedPrices() {
        assertThat(catalog.find("openai", "gpt-4o")).hasValue(new Pricing(dec("2.5"), dec("10"), dec("1.25"), null, null, null));
    }

    @Test
    void anthropicSonnet45HasCacheWriteAndALongContextTierAbove200kTokens() {
        Pricing p = catalog.find("anthropic", "claude-sonnet-4-5").orElseThrow();

        assertThat(p).isEqualTo(new Pricing(dec("3"), dec("15"), dec("0.3"), dec("3.75"), null,
                new Pricing.LongContext(200_000, new Pricing(dec("6"), dec("22.5"), dec("0.6"), dec("7.5")))));
        assertThat(p.forPrompt(200_000)).isSameAs(p);
        assertThat(p.forPrompt(200_001).inputPerMillion()).isEqualByComparingTo("6");
    }

    @Test
    void geminiProHasALongContextTier() {
        Pricing p = catalog.find("gemini", "gemini-2.5-pro").orElseThrow();

        assertThat(p.inputPerMillion()).isEqualByComparingTo("1.25");
        assertThat(p.outputPerMillion()).isEqualByComparingTo("10");
        assertThat(p.cachedInputPerMillion()).isEqualByComparingTo("0.125");
        assertThat(p.longContext().aboveInputTokens()).isEqualTo(200_000);
        assertThat(p.longContext().pricing().outputPerMillion()).isEqualByComparingTo("15");
    }

    @Test
    void bedrockModelsAreKeyedByBedrockModelIds() {
        // the same figures as LiteLLM's entries for these ids (0.06 / 0.24 and 2.5 / 10 per million)
        assertThat(catalog.find("bedrock", "amazon.nova-lite-v1:0")).hasValue(new Pricing(dec("0.06"), dec("0.24"), dec("0.015"), null));
        assertThat(catalog.find("bedrock", "writer.palmyra-x4-v1:0")).hasValue(new Pricing(dec("2.5"), dec("10"), null, null));
    }

    @Test
    void openAiBatchPricesCopiedFromLiteLlmAreInTheFile() throws Exception {
        JsonNode gpt4o;
        try (var in = PriceCatalog.class.getResourceAsStream("prices.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            assertThat(root.path("source").asText()).contains("LiteLLM", "00035b69f416be24e2e323c13198d9b7d2d1bdf9");
            gpt4o = root.path("providers").path("openai").path("models").path("gpt-4o");
        }
        // LiteLLM: input_cost_per_token_batches 1.25e-06, output_cost_per_token_batches 5e-06
        assertThat(gpt4o.path("batchInput").asText()).isEqualTo("1.25");
        assertThat(gpt4o.path("batchOutput").asText()).isEqualTo("5");
    }

    @Test
    void perplexityDeepResearchPricesReasoningApart() {
        assertThat(catalog.find("perplexity", "sonar-deep-research").orElseThrow().reasoningPerMillion()).isEqualByComparingTo("3");
    }

    @Test
    void deepSeekTakesThePeakPriceAnUpperBound() {
        assertThat(catalog.find("deepseek", "deepseek-chat")).hasValue(new Pricing(dec("0.27"), dec("1.1"), dec("0.07"), null));
    }

    @ParameterizedTest(name = "{0} {1} is priced as {2}")
    @CsvSource({
            "openai, gpt-4o-2024-08-06, 2.5",                                  // the source's alias of a dated snapshot
            "openai, gpt-4o-2030-01-01, 2.5",                                  // an unknown dated snapshot: the undated model
            "openai, GPT-4o, 2.5",                                             // case does not matter
            "openai, gpt-4o-2024-05-13, 5",                                    // a snapshot with its own price keeps it
            "anthropic, claude-3-5-sonnet-20241022, 3",                        // Anthropic's dated id
            "anthropic, claude-sonnet-4-5-20250929, 3",
            "bedrock, anthropic.claude-sonnet-4-5-20250929-v1:0, 3.3",         // in-region
            "bedrock, us.anthropic.claude-sonnet-4-5-20250929-v1:0, 3.3",      // cross-region (us.): regional price
            "bedrock, eu.anthropic.claude-sonnet-4-5-20250929-v1:0, 3.3",
            "bedrock, global.anthropic.claude-sonnet-4-5-20250929-v1:0, 3",    // global cross-region: its own, lower price
            "bedrock, us.amazon.nova-lite-v1:0, 0.06",
            "gemini, models/gemini-2.5-pro, 1.25",                             // Gemini's native resource name
            "gemini-openai, gemini-2.5-pro, 1.25",                             // same models through the OpenAI-compatible API
            "groq, llama-3.3-70b-versatile, 0.59",
            "xai, grok-4, 3",
            "together, meta-llama/Llama-3.3-70B-Instruct-Turbo, 0.88",
            "fireworks, accounts/fireworks/models/deepseek-v3-0324, 0.9",
            "cohere, command-r-plus-08-2024, 2.5",
    })
    void lookupNormalizesModelNames(String provider, String model, String input) {
        assertThat(catalog.find(provider, model)).as("%s %s", provider, model)
                .hasValueSatisfying(p -> assertThat(p.inputPerMillion()).isEqualByComparingTo(input));
    }

    @ParameterizedTest(name = "{0} {1} has no price")
    @CsvSource({
            "openai, my-fine-tune",
            "azure, my-gpt4o-deployment",     // an Azure deployment name says nothing about the model
            "groq, gpt-4o",                   // a model is priced by the provider that serves it
            "vllm, meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "ollama, llama3.2",
            "mock, mock-gpt-4o-mini",
    })
    void unknownModelsOrProvidersHaveNoPrice(String provider, String model) {
        assertThat(catalog.find(provider, model)).isEmpty();
    }

    @Test
    void aBrokenCatalogIsRefusedWhenRead() {
        String noOutput = """
                {"source": "test", "asOf": "2026-01-01", "providers": {"openai": {"models": {"m": {"input": "1"}}}}}""";
        String negative = """
                {"source": "test", "asOf": "2026-01-01", "providers": {"openai": {"models": {"m": {"input": "-1", "output": "1"}}}}}""";

        assertThatThrownBy(() -> PriceCatalog.read(stream(noOutput))).hasMessageContaining("openai/m has no output price");
        assertThatThrownBy(() -> PriceCatalog.read(stream(negative))).hasMessageContaining("openai/m has a negative input price");
    }

    @Test
    void longestPrefixWins() throws Exception {
        PriceCatalog c = PriceCatalog.read(stream("""
                {"source": "test", "asOf": "2026-01-01", "providers": {"p": {"models": {
                  "a": {"input": "1", "output": "1", "prefixes": ["fam-"]},
                  "b": {"input": "2", "output": "2", "prefixes": ["fam-large"]}}}}}"""));

        assertThat(c.find("p", "fam-large-v2").map(Pricing::inputPerMillion)).hasValue(dec("2"));
        assertThat(c.find("p", "fam-small").map(Pricing::inputPerMillion)).hasValue(dec("1"));
        assertThat(c.find("p", "other")).isEqualTo(Optional.empty());
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
