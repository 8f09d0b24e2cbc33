package dev.tollgate.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's logback.xml (in its image) logs text at INFO, or JSON lines with the chart's logFormat: json. */
class OperatorLogFormatTest {

    @Test
    void jsonLogFormatGivesOneJsonObjectPerLineAndTextIsTheDefault() throws Exception {
        JsonNode line = new ObjectMapper().readTree(encode("json"));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("reconciled platform/gw");

        assertThat(encode(null)).endsWith("INFO  [main] dev.tollgate.operator.X - reconciled platform/gw" + System.lineSeparator());
    }

    @Test
    void theOperatorLogsAtInfo() {
        assertThat(configured(null).getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @SuppressWarnings("unchecked")
    private static String encode(String format) {
        LoggerContext context = configured(format);
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        LoggerContext live = (LoggerContext) LoggerFactory.getILoggerFactory(); // has the MDC the JSON encoder reads
        LoggingEvent event = new LoggingEvent("x", live.getLogger("dev.tollgate.operator.X"), Level.INFO, "reconciled platform/gw", null, null);
        event.setThreadName("main");
        return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    private static LoggerContext configured(String format) {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty("TOLLGATE_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            URL file = OperatorLogFormatTest.class.getResource("/logback.xml");
            assertThat(file.toString()).as("the operator's own, not the gateway's on the test classpath").contains("operator/target/classes");
            configurator.doConfigure(file);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return context;
    }
}
