package dev.tollgate.gateway.provider.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.MockSettings;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.usage.TokenCounter;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.time.Duration;

/**
 * The built-in provider that needs no network or key: deterministic text derived from the prompt, usage counted
 * with the real tokenizer, streaming with a configurable delay per chunk. Powers the sample and benchmarks.
 *
 * <p>It is the one provider whose tokenizing runs on the gateway's own CPU, so a prompt is counted whole only up to
 * {@link #PROMPT_WHOLE_CHARS} characters and scaled by the density counted beyond (as {@link TokenCounter#sampling}
 * does): jtokkit took 16 ms for a 65,000-character run of one letter, so one client's hostile prompts could otherwise
 * buy a whole core of the gateway. Counting is not linear in a run's length either: 8,192 characters of one letter
 * took 3.5 ms on a 2-core Xeon, 2,048 of them 0.7 ms (prose: 0.8 ms and 0.2 ms).
 */
public final class MockProvider implements Provider {

    private static final String[] WORDS = ("the gateway answers every request with a deterministic sentence so that demos "
            + "benchmarks and tutorials work without any provider key or network access at all while tokens and "
            + "cost are still counted exactly like a real model would report them").split(" ");

    /** Characters of a prompt counted whole (about 500 tokens of prose); every usual test prompt is counted exactly. */
    static final int PROMPT_WHOLE_CHARS = 2_048;

    private final TokenCounter tokens;

    public MockProvider(TokenCounter tokens) {
        this.tokens = tokens.sampling(PROMPT_WHOLE_CHARS);
    }

    @Override
    public String id() {
        return ProviderSpecs.MOCK.id();
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        ObjectNode body = request.body();
        String model = request.backend().model();
        long created = System.currentTimeMillis() / 1000;
        if (request.endpoint() == Endpoint.EMBEDDINGS) {
            return embeddings(body, model);
        }
        String text = answer(body, settings(request));
        Usage usage = new Usage(promptTokens(request), tokens.count(text), 0, 0, false);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", "mock-" + request.requestId());
        root.put("created", created);
        root.put("model", model);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        if (request.endpoint() == Endpoint.CHAT) {
            root.put("object", "chat.completion");
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
        } else {
            root.put("object", "text_completion");
            choice.put("text", text);
        }
        choice.put("finish_reason", "stop");
        root.set("usage", usageJson(usage));
        return new ProviderResponse(Json.bytes(root), usage, null);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        MockSettings settings = settings(request);
        String text = answer(request.body(), settings);
        String[] words = text.split(" ", -1);
        boolean chat = request.endpoint() == Endpoint.CHAT;
        String id = "mock-" + request.requestId();
        long created = System.currentTimeMillis() / 1000;
        String model = request.backend().model();
        if (chat) {
            ObjectNode first = chunk(id, created, model, true);
            ((ObjectNode) first.withArray("choices").get(0)).putObject("delta").put("role", "assistant").put("content", "");
            sink.send(first, null);
        }
        for (int i = 0; i < words.length; i++) {
            pause(settings.chunkDelay());
            String piece = i == 0 ? words[i] : " " + words[i];
            ObjectNode c = chunk(id, created, model, chat);
            ObjectNode choice = (ObjectNode) c.withArray("choices").get(0);
            if (chat) {
                choice.putObject("delta").put("content", piece);
            } else {
                choice.put("text", piece);
            }
            sink.send(c, null);
        }
        ObjectNode last = chunk(id, created, model, chat);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        if (chat) {
            lastChoice.putObject("delta");
        } else {
            lastChoice.put("text", "");
        }
        lastChoice.put("finish_reason", "stop");
        sink.send(last, null);
        Usage usage = new Usage(promptTokens(request), tokens.count(text), 0, 0, false);
        if (request.clientWantsUsage()) {
            ObjectNode usageChunk = chunk(id, created, model, chat);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usageJson(usage));
            sink.send(usageChunk, null);
        }
        return new StreamResult(usage);
    }

    private ProviderResponse embeddings(ObjectNode body, String model) {
        JsonNode input = body.get("input");
        int dimensions = body.path("dimensions").asInt(8);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int n = input.isArray() && !(input.size() > 0 && input.get(0).isNumber()) ? input.size() : 1;
        for (int i = 0; i < n; i++) {
            String text = input.isArray() ? input.get(i).toString() : input.asText();
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode vector = item.putArray("embedding");
            int seed = text.hashCode();
            for (int d = 0; d < dimensions; d++) {
                seed = seed * 1103515245 + 12345;
                vector.add(((seed >>> 8) & 0xFFFF) / 65535.0 - 0.5);
            }
        }
        root.put("model", model);
        Usage usage = new Usage(tokens.countContent(input), 0, 0, 0, false);
        ObjectNode u = root.putObject("usage");
        u.put("prompt_tokens", usage.promptTokens());
        u.put("total_tokens", usage.promptTokens());
        return new ProviderResponse(Json.bytes(root), usage, null);
    }

    private long promptTokens(ProviderRequest request) {
        return request.endpoint() == Endpoint.CHAT
                ? tokens.countMessages(request.body().get("messages"))
                : tokens.countContent(request.body().get("prompt"));
    }

    /** A deterministic answer: the same prompt always gets the same words. */
    private static String answer(ObjectNode body, MockSettings settings) {
        int words = settings.words();
        JsonNode max = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        if (max != null && max.canConvertToInt() && max.asInt() > 0) {
            words = Math.min(words, max.asInt());
        }
        // the nodes' own hashes (Jackson hashes values structurally): serializing the prompt to hash its text cost a
        // twentieth of the CPU of the hostile-request fuzz
        int seed = body.path("messages").hashCode() + body.path("prompt").hashCode();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[Math.floorMod(seed + i, WORDS.length)]);
        }
        return sb.toString();
    }

    private static ObjectNode chunk(String id, long created, String model, boolean chat) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", id);
        c.put("object", chat ? "chat.completion.chunk" : "text_completion");
        c.put("created", created);
        c.put("model", model);
        c.putArray("choices").addObject().put("index", 0);
        return c;
    }

    private static ObjectNode usageJson(Usage usage) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    private static MockSettings settings(ProviderRequest request) {
        MockSettings s = request.backend().mock();
        return s == null ? MockSettings.defaults() : s;
    }

    private static void pause(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
