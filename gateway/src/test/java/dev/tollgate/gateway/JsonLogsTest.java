package dev.tollgate.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.logging.LogFormatEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback.xml logs text, or one JSON object per line when TOLLGATE_LOG_FORMAT says json. */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonFormatWritesOneParsableObjectPerLine() throws Exception {
        String out = encode(shippedEncoder("json"), event("Tollgate gateway started\n  ledger: SQLite /x.db", new IllegalStateException("no \"db\"")));

        assertThat(out).endsWith("\n");
        assertThat(out.strip()).doesNotContain("\n"); // the multi-line message is escaped inside the one line
        JsonNode line = JSON.readTree(out);
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.tollgate.gateway.StartupLog");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("Tollgate gateway started\n  ledger: SQLite /x.db");
        assertThat(line.path("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(line.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("throwable").path("message").asText()).isEqualTo("no \"db\"");
    }

    @Test
    void formatIsCaseInsensitive() throws Exception {
        assertThat(JSON.readTree(encode(shippedEncoder("JSON"), event("hello", null))).path("formattedMessage").asText()).isEqualTo("hello");
    }

    @Test
    void textIsTheDefault() {
        String out = encode(shippedEncoder(null), event("hello", null));
        assertThat(out).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z INFO  \\[main] dev\\.tollgate\\.gateway\\.StartupLog - hello\\R");
    }

    @Test
    void unknownFormatLogsTextAndWarnsInsteadOfLosingTheLogs() {
        LoggerContext context = new LoggerContext();
        LogFormatEncoder encoder = new LogFormatEncoder();
        encoder.setContext(context);
        encoder.setFormat("yaml");
        encoder.setPattern("%level %msg%n");
        encoder.start();

        assertThat(encode(encoder, event("hello", null))).isEqualTo("INFO hello" + System.lineSeparator());
        assertThat(context.getStatusManager().getCopyOfStatusList()).anySatisfy(s -> {
            assertThat(s.getLevel()).isEqualTo(Status.WARN);
            assertThat(s.getMessage()).contains("'yaml' is neither text nor json");
        });
    }

    /** The encoder of the gateway's own logback.xml, read as the jar ships it, with TOLLGATE_LOG_FORMAT set or not. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> shippedEncoder(String format) {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty("TOLLGATE_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        return ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT")).getEncoder();
    }

    private static ILoggingEvent event(String message, Throwable error) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory(); // has the MDC the encoder reads
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.tollgate.gateway.StartupLog"), Level.INFO, message, error, null);
        event.setTimeStamp(1_700_000_000_000L);
        event.setThreadName("main");
        return event;
    }

    private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
