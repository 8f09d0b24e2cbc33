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

class AnswerScanTest {

    @Test
    void readsTheUsageOfAChatAnswerAndLeavesItsTextAlone() throws IOException {
        AnswerScan answer = scan("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}");

        assertThat(answer).isEqualTo(new AnswerScan(new Usage(9, 2, 4, 1, false), null));
    }

    @Test
    void withoutUsageCollectsTheTextOfEveryChoice() throws IOException {
        assertThat(scan("{\"choices\":[{\"message\":{\"content\":\"one \",\"tool_calls\":[{\"function\":{\"arguments\":\"{}\"}}]}},"
                + "{\"message\":{\"content\":\"two\"}}]}")).isEqualTo(new AnswerScan(null, "one two"));
        assertThat(scan("{\"object\":\"text_completion\",\"choices\":[{\"text\":\"legacy\",\"logprobs\":null}],\"usage\":null}"))
                .isEqualTo(new AnswerScan(null, "legacy"));
        assertThat(scan("{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"no\"}}]}").text()).isEmpty();
    }

    @Test
    void skipsAnEmbeddingsAnswersVectors() throws IOException {
        StringBuilder vector = new StringBuilder("[");
        for (int i = 0; i < 1536; i++) {
            vector.append(i == 0 ? "" : ",").append(-0.0123 + i * 1e-5);
        }
        vector.append(']');
        AnswerScan answer = scan("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":" + vector
                + "}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");

        assertThat(answer.usage()).isEqualTo(new Usage(5, 0, 0, 0, false));
    }

    /** What the provider read from a parsed tree before: usage, and every choice's message.content and text. */
    @Test
    void agreesWithAParsedTree() throws IOException {
        for (String json : List.of(
                "{\"choices\":[{\"message\":{\"content\":\"a\"},\"text\":\"b\"}]}",
                "{\"choices\":[{\"message\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}",
                "{\"x\":{\"choices\":[{\"message\":{\"content\":\"nested, not the answer's\"}}]},\"choices\":[]}",
                "{\"choices\":[7,{\"message\":{\"content\":\"after a number\"}}],\"usage\":\"not an object\"}")) {
            JsonNode tree = Json.MAPPER.readTree(json);
            Usage usage = OpenAiUsage.read(tree.get("usage"));
            StringBuilder text = new StringBuilder();
            for (JsonNode choice : tree.path("choices")) {
                text.append(choice.path("message").path("content").asText("")).append(choice.path("text").asText(""));
            }

            assertThat(scan(json)).as(json).isEqualTo(new AnswerScan(usage, usage == null ? text.toString() : null));
        }
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        for (String json : List.of("[]", "\"text\"", "{\"choices\":[}", "{\"usage\":{}} {}", "{\"choices\":[]", "")) {
            assertThatThrownBy(() -> scan(json)).as(json).isInstanceOf(IOException.class);
        }
    }

    private static AnswerScan scan(String json) throws IOException {
        return AnswerScan.of(json.getBytes(StandardCharsets.UTF_8));
    }
}
