package dev.tollgate.gateway.provider.translate;

import dev.tollgate.gateway.provider.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseDataLinesTest {

    @Test
    void readsDataPayloadsAndSkipsEventCommentAndBlankLines() {
        SseDataLines lines = lines(": keep-alive\nevent: message\ndata: {\"a\":1}\n\ndata:{\"b\":2}\r\n\r\ndata: [DONE]");

        assertThat(all(lines)).containsExactly("{\"a\":1}", "{\"b\":2}", "[DONE]");
    }

    @Test
    void joinsALineSplitAcrossManyReads() {
        String big = "x".repeat(20_000);
        SseDataLines lines = new SseDataLines(oneByteAtATime("data: " + big + "\n\ndata: [DONE]\n\n"), "b");

        assertThat(all(lines)).containsExactly(big, "[DONE]");
    }

    @Test
    void tellsWhetherTheNextDataLineHasAlreadyArrived() {
        SseDataLines lines = lines("data: 1\n\ndata: 2\n\n: only a comment\n\ndata: 3");

        assertThat(text(lines.next())).isEqualTo("1");
        assertThat(lines.dataBuffered()).isTrue();
        assertThat(text(lines.next())).isEqualTo("2");
        assertThat(lines.dataBuffered()).as("the last line has no line end yet: it may still grow").isFalse();
        assertThat(text(lines.next())).isEqualTo("3");
        assertThat(lines.next()).isNull();
    }

    @Test
    void aBrokenStreamIsAnUpstreamFailure() {
        InputStream broken = new InputStream() {
            private int calls;

            @Override
            public int read() throws IOException {
                throw new IOException("reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (calls++ == 0) {
                    byte[] first = "data: 1\n".getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(first, 0, b, off, first.length);
                    return first.length;
                }
                throw new IOException("connection reset");
            }
        };
        SseDataLines lines = new SseDataLines(broken, "primary");

        assertThat(text(lines.next())).isEqualTo("1");
        assertThatThrownBy(lines::next).isInstanceOf(UpstreamException.class).hasMessageContaining("broke off");
    }

    private static SseDataLines lines(String stream) {
        return new SseDataLines(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), "b");
    }

    private static List<String> all(SseDataLines lines) {
        List<String> out = new ArrayList<>();
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            out.add(text(line));
        }
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static InputStream oneByteAtATime(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }
}
