package dev.tollgate.gateway.provider.bedrock;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/**
 * Bedrock Converse and ConverseStream (binary event-stream frames), signed at a fixed time so the SigV4 headers are
 * part of the table: the cases of {@code translators/bedrock/}.
 */
class BedrockTranslatorTest {

    @TestFactory
    Stream<DynamicNode> bedrockWireFormat() throws IOException {
        return TranslatorTable.cases("bedrock", new BedrockTranslator(Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC)));
    }
}
