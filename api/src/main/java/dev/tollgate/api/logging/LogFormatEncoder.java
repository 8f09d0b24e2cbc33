package dev.tollgate.api.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.util.Locale;

/**
 * The console encoder of the gateway's and the operator's {@code logback.xml}: {@code text} lines in {@link #setPattern pattern}, or {@code json}, one
 * JSON object per line by logback's own {@link JsonEncoder} (timestamp, level, thread, logger, MDC, key-value pairs,
 * the formatted message and any throwable). Set by {@code TOLLGATE_LOG_FORMAT}; any other value logs text with a
 * warning, never nothing. (Here because both images carry this module; logback itself is theirs.)
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    private String format = "text";
    private String pattern = "%d %-5level [%thread] %logger{36} - %msg%n";
    private Encoder<ILoggingEvent> delegate;

    /** {@code text} or {@code json}, in any case. */
    public void setFormat(String format) {
        this.format = format == null ? "" : format.trim();
    }

    /** The text format's layout pattern. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!f.equals("text") && !f.isEmpty()) {
                addWarn("TOLLGATE_LOG_FORMAT '" + format + "' is neither text nor json: logging text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
