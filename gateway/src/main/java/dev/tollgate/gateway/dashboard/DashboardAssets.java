package dev.tollgate.gateway.dashboard;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spend dashboard's static files under {@code /ui/}: a fixed set read from the jar once at start and served from
 * memory, each with a strict Content-Security-Policy (scripts and styles from this origin only, no inline code, no
 * framing) and an ETag. They carry no data and need no key; the page calls the admin API with the key the person types.
 */
public final class DashboardAssets {

    /** Where the files sit in the jar. */
    static final String RESOURCE_DIR = "/dev/tollgate/gateway/dashboard/";

    /** Sent with every file: the page runs only its own scripts and talks only to this origin. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "chart.umd.min.js", "text/javascript; charset=utf-8",
            "chart.js-LICENSE.md", "text/plain; charset=utf-8");

    private record Asset(byte[] body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    private DashboardAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads every file of the page from the jar; a missing one is a packaging error, reported at start. */
    public static DashboardAssets fromClasspath() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        FILES.forEach((name, type) -> {
            byte[] body = read(name);
            assets.put(name, new Asset(body, type, "\"" + sha256(body).substring(0, 32) + "\""));
        });
        return new DashboardAssets(Map.copyOf(assets));
    }

    /**
     * {@code GET /ui}: the page, whose relative links need the trailing slash, so {@code /ui} is redirected to
     * {@code /ui/} (relatively, which keeps any path prefix a proxy adds).
     */
    public void index(Context ctx) {
        if (!ctx.path().endsWith("/")) {
            securityHeaders(ctx);
            ctx.status(302).header("Location", "ui/").header("Cache-Control", "no-store");
            return;
        }
        send(ctx, assets.get("index.html"));
    }

    /** {@code GET /ui/{file}}: one of the page's files, or 404 in OpenAI's error shape (by the server's 404 handler). */
    public void file(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            ctx.status(404);
            return;
        }
        send(ctx, asset);
    }

    private static void send(Context ctx, Asset asset) {
        securityHeaders(ctx);
        // revalidated on every load (cheap: 304 on a matching ETag), so an upgraded gateway never pairs old and new files
        ctx.header("Cache-Control", "no-cache").header("ETag", asset.etag());
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.body());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the jar: " + RESOURCE_DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
