package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;

/**
 * Turns a provider's stream events into OpenAI {@code chat.completion.chunk}s for one choice: the role chunk first,
 * then text and tool-call deltas, the finish chunk, and the usage chunk when the client asked for it.
 */
public final class ChunkEmitter {

    private final ChunkSink sink;
    private final boolean clientWantsUsage;
    private final long created = System.currentTimeMillis() / 1000;
    private String id;
    private String model;
    private boolean roleSent;
    private boolean finished;
    private int toolCalls;

    /** An emitter for {@code request}'s stream, named {@code chatcmpl-<request id>} and the backend's model until the upstream says. */
    public static ChunkEmitter of(ChunkSink sink, ProviderRequest request) {
        return new ChunkEmitter(sink, "chatcmpl-" + request.requestId(), request.backend().model(), request.clientWantsUsage());
    }

    public ChunkEmitter(ChunkSink sink, String id, String model, boolean clientWantsUsage) {
        this.sink = sink;
        this.id = id;
        this.model = model;
        this.clientWantsUsage = clientWantsUsage;
    }

    /** Sets the id and model the upstream reported, before the first chunk. */
    public void identify(String id, String model) {
        if (id != null && !id.isEmpty()) {
            this.id = id;
        }
        if (model != null && !model.isEmpty()) {
            this.model = model;
        }
    }

    public void role() throws IOException {
        if (!roleSent) {
            roleSent = true;
            ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
            sink.send(OpenAiChat.chunk(id, model, created, 0, delta, null), null);
        }
    }

    public void text(String text) throws IOException {
        if (text == null || text.isEmpty()) {
            return;
        }
        role();
        sink.send(OpenAiChat.chunk(id, model, created, 0, Json.MAPPER.createObjectNode().put("content", text), null), null);
    }

    /** Starts a tool call and returns its OpenAI index. */
    public int toolCallStart(String callId, String name, String arguments) throws IOException {
        role();
        int index = toolCalls++;
        ObjectNode delta = Json.MAPPER.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", callId);
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments == null ? "" : arguments);
        sink.send(OpenAiChat.chunk(id, model, created, 0, delta, null), null);
        return index;
    }

    public void toolCallArguments(int index, String fragment) throws IOException {
        if (fragment == null || fragment.isEmpty()) {
            return;
        }
        ObjectNode delta = Json.MAPPER.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", fragment);
        sink.send(OpenAiChat.chunk(id, model, created, 0, delta, null), null);
    }

    public boolean hasToolCalls() {
        return toolCalls > 0;
    }

    /** Sends the finish chunk once. */
    public void finish(String finishReason) throws IOException {
        if (finished) {
            return;
        }
        role();
        finished = true;
        sink.send(OpenAiChat.chunk(id, model, created, 0, Json.MAPPER.createObjectNode(), finishReason), null);
    }

    /** Sends the usage-only chunk when the client asked for it. */
    public void usage(Usage usage) throws IOException {
        if (clientWantsUsage && usage != null) {
            sink.send(OpenAiChat.usageChunk(id, model, created, usage), null);
        }
    }
}
