package dev.tollgate.gateway.http;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK, pointed at a running gateway, works unchanged and raises its typed exceptions. */
class OpenAiSdkCompatibilityTest {

    @TempDir
    Path dir;
    FakeOpenAiUpstream upstream;
    Gateway gateway;
    final List<OpenAIClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiUpstream();
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt-4o-mini
                    aliases: [fast]
                    backends:
                      - name: fake-openai
                        provider: openai
                        model: gpt-4o-mini-2024-07-18
                        baseUrl: %s
                        apiKey: sk-upstream-secret
                        pricing: { inputPerMillion: 0.15, outputPerMillion: 0.60 }
                  - model: text-embedding-3-small
                    backends:
                      - name: fake-embed
                        provider: openai
                        model: text-embedding-3-small
                        baseUrl: %s
                  - model: secret-model
                    backends:
                      - { name: mock-secret, provider: mock, model: m }
                keys:
                  - { name: app, team: t1, key: sk-tg-app-key-1234, models: [gpt-4o-mini, text-embedding-3-small] }
                  - { name: old, key: sk-tg-expired-key-1, expiresAt: "2020-01-01T00:00:00Z" }
                  - { name: paused, key: sk-tg-paused-key-1, suspended: true }
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        clients.forEach(OpenAIClient::close); // first: the gateway's stop would wait for their idle keep-alive connections
        gateway.close();
        upstream.close();
    }

    private OpenAIClient client(String key) {
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(key).baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").maxRetries(0).build();
        clients.add(client);
        return client;
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
    }

    @Test
    void chatCompletionReturnsTheUpstreamAnswerAndUsage() {
        ChatCompletion completion = client("sk-tg-app-key-1234").chat().completions().create(chat("gpt-4o-mini"));

        assertThat(completion.choices().getFirst().message().content()).contains("Hello from the fake upstream.");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
        assertThat(upstream.received().getFirst().body().path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(upstream.received().getFirst().authorization()).isEqualTo("Bearer sk-upstream-secret");
    }

    @Test
    void streamingDeliversEveryChunkAndTheUsageTheClientAskedFor() {
        ChatCompletionCreateParams params = chat("fast").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client("sk-tg-app-key-1234").chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello from the fake upstream.");
        assertThat(chunks.getLast().usage()).isPresent();
        assertThat(chunks.getLast().usage().get().completionTokens()).isEqualTo(6);
    }

    @Test
    void legacyCompletionsWorkWholeAndStreamed() {
        OpenAIClient client = client("sk-tg-app-key-1234");
        CompletionCreateParams params = CompletionCreateParams.builder().model("gpt-4o-mini").prompt("Say hello").build();

        Completion completion = client.completions().create(params);
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(ch -> streamed.append(ch.text())));
        }

        assertThat(completion.choices().getFirst().text()).isEqualTo("Hello from the fake upstream.");
        assertThat(streamed.toString()).isEqualTo("Hello from the fake upstream.");
        assertThat(upstream.received()).allMatch(r -> r.path().equals("/v1/completions"));
    }

    @Test
    void embeddingsAndModelsWork() {
        OpenAIClient client = client("sk-tg-app-key-1234");
        CreateEmbeddingResponse embedding = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello").build());
        List<String> models = client.models().list().data().stream().map(Model::id).toList();

        assertThat(embedding.data().getFirst().embedding()).hasSize(3);
        assertThat(models).containsExactlyInAnyOrder("gpt-4o-mini", "fast", "text-embedding-3-small");
    }

    @Test
    void unknownExpiredAndSuspendedKeysRaiseUnauthorized() {
        assertThatThrownBy(() -> client("sk-tg-not-a-key-999").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Incorrect API key");
        assertThatThrownBy(() -> client("sk-tg-expired-key-1").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> client("sk-tg-paused-key-1").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("suspended");
    }

    @Test
    void modelOutsideTheKeysListIsForbiddenAndAnUnknownModelIsNotFound() {
        assertThatThrownBy(() -> client("sk-tg-app-key-1234").chat().completions().create(chat("secret-model")))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> client("sk-tg-app-key-1234").chat().completions().create(chat("no-such-model")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
    }

    @Test
    void upstreamErrorsKeepTheirMeaning() {
        upstream.failWith(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", "7");
        assertThatThrownBy(() -> client("sk-tg-app-key-1234").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.headers().values("retry-after")).containsExactly("7"));

        upstream.failWith(503, "{\"error\":{\"message\":\"overloaded\"}}", null);
        assertThatThrownBy(() -> client("sk-tg-app-key-1234").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));

        upstream.failWith(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}", null);
        assertThatThrownBy(() -> client("sk-tg-app-key-1234").chat().completions().create(chat("gpt-4o-mini")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("maximum context length");
    }
}
