package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.inbound.TranslatedStream;
import dev.tollgate.gateway.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a stream in the Messages API's event format. OpenAI chunks from any backend are turned into
 * {@code message_start}, {@code ping}, {@code content_block_start/delta/stop} (text and tool_use with
 * {@code input_json_delta}), {@code message_delta} (stop reason and usage) and {@code message_stop}. An Anthropic
 * backend's own events (data with a {@code type}, raw bytes given; OpenAI chunks have an {@code object} instead) are
 * relayed unchanged.
 */
final class MessagesEventWriter extends TranslatedStream {

    /** Anthropic's own keep-alive, the {@code ping} event its clients already expect. */
    private static final byte[] PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);

    private int blockIndex = -1;
    private String openBlock;

    MessagesEventWriter(HttpServletResponse response) {
        super(response, PING);
    }

    @Override
    protected void text(String content) throws IOException {
        if (!"text".equals(openBlock)) {
            openBlock("text", Json.MAPPER.createObjectNode().put("type", "text").put("text", ""));
        }
        appendText(content);
        ObjectNode d = Json.MAPPER.createObjectNode().put("type", "text_delta").put("text", content);
        write("content_block_delta", blockEvent("content_block_delta").set("delta", d));
    }

    @Override
    protected void toolCall(JsonNode call) throws IOException {
        if (call.hasNonNull("id")) {
            ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", call.get("id").asText())
                    .put("name", call.path("function").path("name").asText());
            block.putObject("input");
            openBlock("tool_use", block);
        }
        String arguments = call.path("function").path("arguments").asText("");
        if (!arguments.isEmpty() && "tool_use".equals(openBlock)) {
            ObjectNode d = Json.MAPPER.createObjectNode().put("type", "input_json_delta").put("partial_json", arguments);
            write("content_block_delta", blockEvent("content_block_delta").set("delta", d));
        }
    }

    @Override
    protected void relay(JsonNode event, byte[] raw) throws IOException {
        String name = event.get("type").asText();
        if (name.equals("content_block_delta")) {
            appendText(event.path("delta").path("text").asText(""));
        }
        writeEvent(name, raw, false);
    }

    @Override
    protected void finish() throws IOException {
        closeBlock();
        ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", MessagesResponses.stopReason(finishReason())).putNull("stop_sequence");
        delta.set("usage", MessagesResponses.usage(usage()));
        write("message_delta", delta);
        write("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
    }

    @Override
    public void fail(GatewayException error) {
        try {
            write("error", MessagesResponses.error(error));
        } catch (IOException ignored) {
            // the client is gone as well; the ledger still records the failure
        }
    }

    @Override
    protected void start(JsonNode firstChunk) throws IOException {
        ObjectNode start = Json.MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", MessagesResponses.messageId(firstChunk.path("id").asText("")));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", firstChunk.path("model").asText(""));
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", MessagesResponses.usage(null));
        write("message_start", start);
        write("ping", Json.MAPPER.createObjectNode().put("type", "ping"));
    }

    private void openBlock(String type, ObjectNode block) throws IOException {
        closeBlock();
        blockIndex++;
        openBlock = type;
        write("content_block_start", blockEvent("content_block_start").set("content_block", block));
    }

    private void closeBlock() throws IOException {
        if (openBlock != null) {
            write("content_block_stop", blockEvent("content_block_stop"));
            openBlock = null;
        }
    }

    private ObjectNode blockEvent(String type) {
        return Json.MAPPER.createObjectNode().put("type", type).put("index", blockIndex);
    }

    private void write(String name, JsonNode data) throws IOException {
        writeEvent(name, Json.bytes(data), false);
    }
}
