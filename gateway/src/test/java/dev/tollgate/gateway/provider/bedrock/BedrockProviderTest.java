package dev.tollgate.gateway.provider.bedrock;

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
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tollgate.gateway.testing.ChatScenarios.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OpenAI SDK → gateway → a fake Bedrock runtime that checks the SigV4 signature and answers Converse JSON or
 * ConverseStream binary event-stream frames.
 */
class BedrockProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    static final String KEY_ID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final BigDecimal IN = new BigDecimal("0.25");
    static final BigDecimal OUT = new BigDecimal("1.25");
    static final BigDecimal READ = new BigDecimal("0.03");
    static final BigDecimal WRITE = new BigDecimal("0.30");
    static final String USAGE = "{\"inputTokens\":100,\"outputTokens\":40,\"totalTokens\":390,\"cacheReadInputTokens\":200,\"cacheWriteInputTokens\":50}";
    static final String ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"A single pixel.\"}]}},"
            + "\"stopReason\":\"end_turn\",\"usage\":" + USAGE + ",\"metrics\":{\"latencyMs\":412}}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: haiku
                backends:
                  - name: bedrock-us
                    provider: bedrock
                    model: %s
                    baseUrl: %s
                    region: us-east-1
                    aws: { accessKeyId: %s, secretAccessKey: "%s" }
                    pricing: { inputPerMillion: 0.25, outputPerMillion: 1.25, cachedInputPerMillion: 0.03, cacheWriteInputPerMillion: 0.30 }
            """.formatted(MODEL, url, KEY_ID, SECRET));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    static BigDecimal expectedCost() {
        return ChatScenarios.cost(100, IN, 200, READ, 50, WRITE, 40, OUT);
    }

    /** Re-signs what the fake received with the same secret and clock and compares signatures. */
    void assertSignedWithSigV4(FakeUpstream.Received r) {
        String auth = r.header("authorization");
        assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/").contains("/us-east-1/bedrock/aws4_request");
        String signedHeaders = auth.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(upstream.baseUrl() + r.path()));
        for (String h : signedHeaders.split(";")) {
            if (!h.equals("host")) {
                request.putHeader(h, r.header(h));
            }
        }
        LocalDateTime when = LocalDateTime.parse(r.header("x-amz-date"), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String expected = AwsV4HttpSigner.create().sign(s -> s
                .identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(r.bytes()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(when.toInstant(ZoneOffset.UTC), ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElseThrow();
        assertThat(auth).isEqualTo(expected);
    }

    static byte[] frame(String eventType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        ByteBuffer buffer = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static Reply eventStream(List<byte[]> frames) {
        return Reply.stream("application/vnd.amazon.eventstream", frames);
    }

    @Test
    void requestIsSignedAndTranslatedFieldByField() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("haiku").build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertSignedWithSigV4(sent);
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"messages":[
                   {"role":"user","content":[{"text":"Hi"}]},
                   {"role":"assistant","content":[{"text":"Hello!"}]},
                   {"role":"user","content":[{"text":"What is in this image?"},{"image":{"format":"png","source":{"bytes":"%s"}}}]}],
                 "system":[{"text":"You are terse."}],
                 "inferenceConfig":{"maxTokens":256,"temperature":0.2,"topP":0.9,"stopSequences":["END"]}}""".formatted(PNG)));
        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(350);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.cachedTokens()).isEqualTo(200);
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void binaryEventStreamIsDecodedIntoOpenAiChunks() throws Exception {
        upstream.respond(r -> eventStream(List.of(
                frame("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"),
                frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"A single\"},\"p\":\"abcdef\"}"),
                frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" pixel.\"},\"p\":\"ab\"}"),
                frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abc\"}"),
                frame("messageStop", "{\"p\":\"abcdefgh\",\"stopReason\":\"end_turn\"}"),
                frame("metadata", "{\"metrics\":{\"latencyMs\":380},\"p\":\"ab\",\"usage\":" + USAGE + "}"))));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("haiku")).build());

        assertThat(upstream.last().path()).endsWith("/converse-stream");
        assertThat(upstream.last().header("accept")).isEqualTo("application/vnd.amazon.eventstream");
        assertSignedWithSigV4(upstream.last());
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("stop");
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(350);
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void toolCallRoundTripWhole() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Checking.\"},"
                + "{\"toolUse\":{\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]}},"
                + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":30,\"outputTokens\":12,\"totalTokens\":42},\"metrics\":{\"latencyMs\":300}}"));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("haiku").build());

        assertThat(upstream.last().json().path("toolConfig")).isEqualTo(JSON.readTree("""
                {"tools":[{"toolSpec":{"name":"get_weather","description":"Current weather of a city",
                  "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],
                 "toolChoice":{"auto":{}}}"""));
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().id()).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");

        upstream.respond(r -> Reply.json(200, ANSWER));
        client.chat().completions().create(ChatScenarios.toolResult("haiku", first.choices().getFirst().message(), call.asFunction().id()));

        assertThat(upstream.last().json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"text":"What is the weather in Paris?"}]},
                 {"role":"assistant","content":[{"text":"Checking."},
                    {"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"get_weather","input":{"city":"Paris"}}}]},
                 {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":[{"text":"{\\"temp_c\\":18}"}]}}]}]"""));
    }

    @Test
    void streamedToolUseBecomesToolCallDeltas() {
        upstream.respond(r -> eventStream(List.of(
                frame("messageStart", "{\"p\":\"a\",\"role\":\"assistant\"}"),
                frame("contentBlockStart", "{\"contentBlockIndex\":0,\"p\":\"a\",\"start\":{\"toolUse\":{\"name\":\"get_weather\",\"toolUseId\":\"tooluse_1\"}}}"),
                frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}},\"p\":\"a\"}"),
                frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}},\"p\":\"a\"}"),
                frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"a\"}"),
                frame("messageStop", "{\"p\":\"a\",\"stopReason\":\"tool_use\"}"),
                frame("metadata", "{\"metrics\":{\"latencyMs\":1},\"p\":\"a\",\"usage\":{\"inputTokens\":30,\"outputTokens\":12,\"totalTokens\":42}}"))));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.tool("haiku").build());

        assertThat(ChatScenarios.toolArguments(chunks, 0)).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("tool_calls");
    }

    @Test
    void bedrockErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(429, "{\"message\":\"Too many requests, please wait before trying again.\"}",
                Map.of("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("haiku").build()))
                .isInstanceOf(RateLimitException.class);

        upstream.respond(r -> Reply.json(400, "{\"message\":\"Input is too long for requested model.\"}",
                Map.of("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("haiku").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("context_length_exceeded"));
    }

    @Test
    void unsupportedParameterIsRefusedNamingIt() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("haiku").frequencyPenalty(0.5).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("frequency_penalty"));
        assertThat(upstream.received()).isEmpty();
    }
}
