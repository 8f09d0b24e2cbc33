package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkScanTest {

    @Test
    void readsTheFirstChoicesTextAndCountsChoices() throws IOException {
        ChunkScan chat = scan("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\\u006co\",\"tool_calls\":[{\"x\":[1,{}]}]},"
                + "\"logprobs\":{\"content\":[{\"token\":\"no\"}]},\"text\":\"ignored\"},{\"index\":1,\"delta\":{\"content\":\"second\"}}],\"usage\":null}");

        assertThat(chat).isEqualTo(new ChunkScan(null, null, 2, "Hello"));
        assertThat(scan("{\"choices\":[{\"index\":0,\"text\":\" legacy\",\"finish_reason\":null}]}").text()).isEqualTo(" legacy");
        assertThat(scan("{\"choices\":[{\"delta\":{\"content\":null}}]}").text()).isNull();
        assertThat(scan("{\"choices\":[],\"prompt_filter_results\":[{\"content_filter_results\":{}}]}").choices()).isZero();
        assertThat(scan("{\"object\":\"chat.completion.chunk\"}").choices()).isEqualTo(-1);
    }

    @Test
    void readsUsageAndErrors() throws IOException {
        ChunkScan usage = scan("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":3}}}");

        assertThat(usage.usage()).isEqualTo(new Usage(12, 8, 4, 3, false));
        assertThat(scan("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").error()).isEqualTo("overloaded");
        assertThat(scan("{\"error\":\"just text\"}").error()).isEqualTo("error event");
    }

    @Test
    void agreesWithAParsedTree() throws IOException {
        for (String json : List.of(
                "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"q\\\":1}\"}}]},\"text\":\"t\"}],\"usage\":{\"prompt_tokens\":1}}",
                "{\"choices\":[{\"delta\":{}}],\"x\":{\"choices\":[{\"delta\":{\"content\":\"nested, not the chunk's\"}}]}}",
                "{\"choices\":[7,{\"delta\":{\"content\":\"not first\"}}]}")) {
            JsonNode tree = Json.MAPPER.readTree(json);
            JsonNode choice = tree.path("choices").path(0);
            String text = choice.path("delta").path("content").isTextual() ? choice.path("delta").path("content").asText()
                    : choice.path("text").isTextual() ? choice.path("text").asText() : null;

            assertThat(scan(json)).as(json).isEqualTo(new ChunkScan(null, OpenAiUsage.read(tree.get("usage")), tree.path("choices").size(), text));
        }
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        for (String bad : List.of("", "[1]", "{\"choices\":[}", "{\"a\":1} {\"b\":2}", "{\"a\":1", "not json")) {
            assertThatThrownBy(() -> scan(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }

    private static ChunkScan scan(String json) throws IOException {
        return ChunkScan.of(json.getBytes(StandardCharsets.UTF_8));
    }
}
