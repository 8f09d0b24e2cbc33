package dev.tollgate.gateway.provider.anthropic;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * A client's own Messages API request sent to Anthropic as it is ({@code translators/anthropic-messages/}), and its
 * token count asked of Anthropic ({@code translators/anthropic-count-tokens/}); each case's {@code request.json} is the
 * client's Messages body.
 */
class AnthropicPassThroughTest {

    @TestFactory
    Stream<DynamicNode> messagesPassThrough() throws IOException {
        return TranslatorTable.cases("anthropic-messages", body -> new AnthropicTranslator().anthropicMessages(body, "files-api-2025-04-14"));
    }

    @TestFactory
    Stream<DynamicNode> tokenCount() throws IOException {
        return TranslatorTable.cases("anthropic-count-tokens", body -> new AnthropicTranslator().anthropicTokenCount(body, null));
    }
}
