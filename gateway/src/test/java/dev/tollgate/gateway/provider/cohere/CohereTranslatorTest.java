package dev.tollgate.gateway.provider.cohere;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Cohere's v2 Chat API: the cases of {@code translators/cohere/}. */
class CohereTranslatorTest {

    @TestFactory
    Stream<DynamicNode> cohereWireFormat() throws IOException {
        return TranslatorTable.cases("cohere", new CohereTranslator());
    }
}
