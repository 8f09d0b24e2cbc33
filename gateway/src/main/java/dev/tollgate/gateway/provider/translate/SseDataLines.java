package dev.tollgate.gateway.provider.translate;

import dev.tollgate.gateway.provider.UpstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the {@code data:} lines of a server-sent event stream as bytes, the way they arrived: no decoding to text and
 * back, no line strings. Lines end with {@code \n} or {@code \r\n}; {@code event:}, comment and blank lines are
 * skipped (OpenAI-compatible streams put one JSON document on each {@code data:} line). {@link #dataBuffered()} tells
 * whether the next data line has already arrived, so a relay can send several chunks with one flush.
 */
public final class SseDataLines {

    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** Holds a few chunks (a few hundred bytes each) and grows for longer lines; it is per open stream, 5,000 at once. */
    private static final int INITIAL_BUFFER_BYTES = 2048;

    private final InputStream in;
    private final String backend;
    private byte[] buf = new byte[INITIAL_BUFFER_BYTES];
    private int start;
    private int end;
    private boolean eof;

    public SseDataLines(InputStream in, String backend) {
        this.in = in;
        this.backend = backend;
    }

    /**
     * The payload of the next {@code data:} line (after the colon and one optional space, without the line end), or
     * null at the end of the stream.
     *
     * @throws UpstreamException when the stream breaks off or a line exceeds 16 MiB
     */
    public byte[] next() {
        int scanFrom = start;
        while (true) {
            int newline = indexOfNewline(scanFrom);
            if (newline < 0) {
                int scanned = end - start;
                if (fill()) {
                    scanFrom = start + scanned; // the bytes already searched moved, in order, to the front
                    continue;
                }
                if (start == end) {
                    return null;
                }
                newline = end; // the last line, without a line end
            }
            int lineStart = start;
            int lineEnd = newline > lineStart && buf[newline - 1] == '\r' ? newline - 1 : newline;
            start = newline < end ? newline + 1 : end;
            if (isData(lineStart, lineEnd)) {
                int from = lineStart + 5;
                if (from < lineEnd && buf[from] == ' ') {
                    from++;
                }
                return Arrays.copyOfRange(buf, from, lineEnd);
            }
            scanFrom = start;
        }
    }

    /** Whether a complete {@code data:} line is already buffered (reading it would not wait for the upstream). */
    public boolean dataBuffered() {
        int lineStart = start;
        while (true) {
            int newline = indexOfNewline(lineStart);
            if (newline < 0) {
                return false;
            }
            if (isData(lineStart, newline)) {
                return true;
            }
            lineStart = newline + 1;
        }
    }

    private boolean isData(int from, int to) {
        return to - from >= 5 && buf[from] == 'd' && buf[from + 1] == 'a' && buf[from + 2] == 't' && buf[from + 3] == 'a'
                && buf[from + 4] == ':';
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads more bytes after the unread ones; false at the end of the stream. */
    private boolean fill() {
        if (eof) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
                throw UpstreamException.badResponse(backend, "a stream line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend, "the stream broke off");
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }
}
