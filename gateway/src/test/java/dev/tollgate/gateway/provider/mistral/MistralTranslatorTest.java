package dev.tollgate.gateway.provider.mistral;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Mistral's chat completions API: the cases of {@code translators/mistral/}. */
class MistralTranslatorTest {

    @TestFactory
    Stream<DynamicNode> mistralWireFormat() throws IOException {
        return TranslatorTable.cases("mistral", new MistralTranslator());
    }
}
