package dev.tollgate.gateway.request;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ClientStream} written as server-sent events: the event framing, the headers committed with the first
 * event, flushing, the keep-alive a second thread may write between two events, and the text streamed so far.
 * Each client API's writer adds only what its events say.
 */
public abstract class SseClientStream implements ClientStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServletResponse response;
    private final byte[] keepAlive;
    private final StringBuilder text = new StringBuilder();

    private volatile SseOutput out;
    private long firstByteNanos;

    /**
     * @param keepAlive the whole SSE comment or event this API's clients ignore, written after a silence
     */
    protected SseClientStream(HttpServletResponse response, byte[] keepAlive) {
        this.response = response;
        this.keepAlive = keepAlive;
    }

    /**
     * Writes one event, {@code event: name} (when {@code name} is not null) and {@code data: data}, committing the
     * headers first if this is the stream's first event; flushes it unless {@code hold}.
     *
     * @throws IOException when the client has gone away
     */
    protected final void writeEvent(String name, byte[] data, boolean hold) throws IOException {
        SseOutput o = out;
        if (o == null) {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setHeader("cache-control", "no-cache");
            response.setHeader("x-accel-buffering", "no");
            o = new SseOutput(response.getOutputStream());
            out = o;
            firstByteNanos = System.nanoTime();
        }
        o.write(name == null ? DATA : ("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        o.write(data);
        o.write(END);
        if (!hold) {
            o.flush();
        }
    }

    /** Writes {@code bytes} as they are and flushes them, on a stream that has {@link #started}. */
    protected final void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Adds to the text streamed so far. */
    protected final void appendText(String chunkText) {
        text.append(chunkText);
    }

    @Override
    public void flush() throws IOException {
        SseOutput o = out;
        if (o != null) {
            o.flush();
        }
    }

    @Override
    public final void keepAlive(long idleNanos) throws IOException {
        SseOutput o = out;
        if (o != null) {
            o.keepAlive(keepAlive, idleNanos);
        }
    }

    @Override
    public final boolean started() {
        return out != null;
    }

    @Override
    public final long firstByteNanos() {
        return firstByteNanos;
    }

    @Override
    public final String text() {
        return text.toString();
    }
}
