package dev.tollgate.gateway.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.gateway.Gateway;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The OpenAI SDK requests every provider test sends, and helpers to read streamed answers. */
public final class ChatScenarios {

    /** A 1x1 PNG, base64. */
    public static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private ChatScenarios() {
    }

    public static OpenAIClient client(Gateway gateway, String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").maxRetries(0).build();
    }

    /** System prompt, a multi-turn history, an image, and sampling parameters. */
    public static ChatCompletionCreateParams.Builder rich(String model) {
        return ChatCompletionCreateParams.builder().model(model)
                .addSystemMessage("You are terse.")
                .addUserMessage("Hi")
                .addAssistantMessage("Hello!")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is in this image?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + PNG).build()).build())))
                .temperature(0.2)
                .topP(0.9)
                .maxCompletionTokens(256)
                .stopOfStrings(List.of("END"));
    }

    /** A question with one function tool, {@code get_weather(city)}. */
    public static ChatCompletionCreateParams.Builder tool(String model) {
        return ChatCompletionCreateParams.builder().model(model)
                .addUserMessage("What is the weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Current weather of a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO);
    }

    /** The tool question, the assistant's tool call, and the tool's result. */
    public static ChatCompletionCreateParams toolResult(String model, ChatCompletionMessage assistant, String toolCallId) {
        return tool(model).addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCallId).content("{\"temp_c\":18}").build())
                .build();
    }

    public static ChatCompletionCreateParams.Builder withUsage(ChatCompletionCreateParams.Builder b) {
        return b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }

    public static List<ChatCompletionChunk> stream(OpenAIClient client, ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        return chunks;
    }

    public static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(sb::append)));
        return sb.toString();
    }

    public static String finishReason(List<ChatCompletionChunk> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).filter(ch -> ch.finishReason().isPresent())
                .map(ch -> ch.finishReason().get().asString()).findFirst().orElse(null);
    }

    /** The arguments of the streamed tool call with index {@code index}, fragments joined. */
    public static String toolArguments(List<ChatCompletionChunk> chunks, int index) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(t -> {
            if (t.index() == index) {
                t.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments).ifPresent(sb::append);
            }
        }))));
        return sb.toString();
    }

    /** Cost in USD of token counts at per-million prices. */
    public static BigDecimal cost(long uncachedInput, BigDecimal inputPrice, long cachedRead, BigDecimal cachedPrice,
                                  long cacheWrite, BigDecimal writePrice, long output, BigDecimal outputPrice) {
        return inputPrice.multiply(BigDecimal.valueOf(uncachedInput))
                .add(cachedPrice.multiply(BigDecimal.valueOf(cachedRead)))
                .add(writePrice.multiply(BigDecimal.valueOf(cacheWrite)))
                .add(outputPrice.multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000)).stripTrailingZeros();
    }
}
