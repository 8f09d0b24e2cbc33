package dev.tollgate.gateway.provider.anthropic;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Anthropic's Messages API: the cases of {@code translators/anthropic/}. */
class AnthropicTranslatorTest {

    @TestFactory
    Stream<DynamicNode> anthropicWireFormat() throws IOException {
        return TranslatorTable.cases("anthropic", new AnthropicTranslator());
    }
}
