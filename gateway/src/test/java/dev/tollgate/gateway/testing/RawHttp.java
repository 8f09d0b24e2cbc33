package dev.tollgate.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare HTTP/1.1 client over one keep-alive socket, for requests no well-behaved client would send (broken
 * request lines, thousands of headers). Reconnects when the server closed the connection.
 */
public final class RawHttp implements AutoCloseable {

    /** A response: status, lower-cased headers, body. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    private final int port;
    private final java.net.InetAddress from;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawHttp(int port) {
        this(port, null);
    }

    /** A client whose connections come from {@code from} (a loopback address such as 127.0.0.2), or any when null. */
    public RawHttp(int port, java.net.InetAddress from) {
        this.port = port;
        this.from = from;
    }

    /** Sends the bytes as they are and reads one response (without a body when the request is a HEAD). */
    public Response send(byte[] request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                out.write(request);
                out.flush();
                Response r = read(request.length >= 5 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD "));
                if ("close".equalsIgnoreCase(r.headers().get("connection"))) {
                    close();
                }
                return r;
            } catch (IOException e) {
                close();
                if (attempt >= 1) {
                    throw e;
                }
            }
        }
    }

    public static byte[] request(String method, String path, String headers, byte[] body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
    }

    private Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || status == 204 || status == 304) {
            return new Response(status, headers, "");
        }
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else {
            body.write(in.readAllBytes());
            headers.put("connection", "close");
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            socket = null;
        }
    }
}
