package dev.tollgate.gateway.provider.mock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.usage.TokenCounter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The mock's prompt usage: exact for every usual prompt, bounded work (a scaled estimate) beyond that. */
class MockProviderTest {

    private static final TokenCounter WHOLE = new TokenCounter();
    private final MockProvider mock = new MockProvider(WHOLE);

    private static ObjectNode chat(String content) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "m");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You answer briefly.");
        messages.addObject().put("role", "user").put("content", content);
        return body;
    }

    private long promptTokens(ObjectNode body) {
        BackendConfig backend = new BackendConfig("b", "mock", "m", null, null, 1, 0, null, null, null, null, null, null, null);
        ProviderRequest request = new ProviderRequest("req-1", Endpoint.CHAT, backend, body, false, false, Duration.ofSeconds(5),
                false, Duration.ofSeconds(1), null);
        return mock.call(request).usage().promptTokens();
    }

    @Test
    void aPromptUpToTheWholeLimitIsCountedExactly() {
        String prose = "The gateway counts every token of this prompt exactly, as a provider's bill would. ".repeat(23);
        assertThat(prose.length()).isLessThan(MockProvider.PROMPT_WHOLE_CHARS);
        ObjectNode body = chat(prose);
        assertThat(promptTokens(body)).isEqualTo(WHOLE.countMessages(body.get("messages")));
    }

    @Test
    void aLongerPromptIsScaledByTheDensityCountedAndStaysCloseToTheWholeCount() {
        for (String hostile : new String[] {"A".repeat(65_000), "hello world ".repeat(5_400)}) {
            ObjectNode body = chat(hostile);
            long whole = WHOLE.countMessages(body.get("messages"));
            // the sample (2,048 characters) holds the system message and roles too, so a prompt unlike them is off a little
            assertThat(promptTokens(body)).as("%d characters", hostile.length()).isCloseTo(whole, within(whole / 50));
        }
    }
}
