package dev.tollgate.gateway.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.ProviderGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.List;

import static dev.tollgate.gateway.testing.ChatScenarios.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → a fake Gemini API speaking Gemini's real wire format. */
class GeminiProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal IN = new BigDecimal("0.30");
    static final BigDecimal CACHED = new BigDecimal("0.075");
    static final BigDecimal OUT = new BigDecimal("2.50");
    static final String USAGE = "\"usageMetadata\":{\"promptTokenCount\":300,\"candidatesTokenCount\":40,\"totalTokenCount\":360,"
            + "\"cachedContentTokenCount\":100,\"thoughtsTokenCount\":20,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":300}]}";
    static final String ANSWER = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A single pixel.\"}],\"role\":\"model\"},"
            + "\"finishReason\":\"STOP\",\"index\":0}]," + USAGE + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mEz0aKvMJ\"}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: flash
                backends:
                  - name: gemini-main
                    provider: gemini
                    model: gemini-2.5-flash
                    baseUrl: %s
                    apiKey: AIza-upstream-secret
                    pricing: { inputPerMillion: 0.30, outputPerMillion: 2.50, cachedInputPerMillion: 0.075 }
            """.formatted(url));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    static BigDecimal expectedCost() {
        return ChatScenarios.cost(200, IN, 100, CACHED, 0, BigDecimal.ZERO, 60, OUT);
    }

    @Test
    void requestIsTranslatedFieldByFieldAndAnswerComesBackInOpenAiShape() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("flash").seed(7).build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.header("x-goog-api-key")).isEqualTo("AIza-upstream-secret");
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"contents":[
                   {"role":"user","parts":[{"text":"Hi"}]},
                   {"role":"model","parts":[{"text":"Hello!"}]},
                   {"role":"user","parts":[{"text":"What is in this image?"},{"inlineData":{"mimeType":"image/png","data":"%s"}}]}],
                 "systemInstruction":{"parts":[{"text":"You are terse."}]},
                 "generationConfig":{"temperature":0.2,"topP":0.9,"maxOutputTokens":256,"stopSequences":["END"],"seed":7}}""".formatted(PNG)));

        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(300);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(60);
        assertThat(completion.usage().orElseThrow().completionTokensDetails().orElseThrow().reasoningTokens()).contains(20L);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.cachedTokens()).isEqualTo(100);
        assertThat(row.reasoningTokens()).isEqualTo(20);
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void streamIsTranslatedToOpenAiChunksWithUsageAndCost() throws Exception {
        String partial = "\"usageMetadata\":{\"promptTokenCount\":300,\"candidatesTokenCount\":3,\"totalTokenCount\":303}";
        upstream.respond(r -> Reply.sse(List.of(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A single\"}],\"role\":\"model\"},\"index\":0}]," + partial
                        + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n",
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" pixel.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + USAGE + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("flash")).build());

        assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(upstream.last().query()).isEqualTo("alt=sse");
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("stop");
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(60);
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                + "\"args\":{\"city\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," + USAGE + "}"));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("flash").build());

        assertThat(upstream.last().json().path("tools")).isEqualTo(JSON.readTree("""
                [{"functionDeclarations":[{"name":"get_weather","description":"Current weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}]"""));
        assertThat(upstream.last().json().path("toolConfig")).isEqualTo(JSON.readTree("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"));
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.asFunction().function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        upstream.respond(r -> Reply.json(200, ANSWER));
        client.chat().completions().create(ChatScenarios.toolResult("flash", first.choices().getFirst().message(), call.asFunction().id()));

        assertThat(upstream.last().json().path("contents")).isEqualTo(JSON.readTree("""
                [{"role":"user","parts":[{"text":"What is the weather in Paris?"}]},
                 {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
                 {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp_c":18}}}]}]"""));
    }

    @Test
    void safetyBlockBecomesAContentPolicyError() {
        upstream.respond(r -> Reply.json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[{\"category\":"
                + "\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\"}]},\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},"
                + "\"modelVersion\":\"gemini-2.5-flash\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("flash").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("content_policy_violation"));

        upstream.respond(r -> Reply.sse(List.of("data: {\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[]}],"
                + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}\r\n\r\n")));
        assertThatThrownBy(() -> ChatScenarios.stream(client, ChatScenarios.tool("flash").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("content_policy_violation"));
    }

    @Test
    void geminiErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("flash").build()))
                .isInstanceOf(RateLimitException.class);

        upstream.respond(r -> Reply.json(400, "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("flash").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("context_length_exceeded"));
    }

    @Test
    void unsupportedParameterIsRefusedNamingIt() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("flash").logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("logprobs"));
        assertThat(upstream.received()).isEmpty();
    }
}
