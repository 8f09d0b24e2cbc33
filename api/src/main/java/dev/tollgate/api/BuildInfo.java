package dev.tollgate.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build is and which images it produces, written into {@code build.properties} by Maven: the operator's
 * default gateway image is exactly the image the same build made (no version typed twice).
 *
 * @param version       the project version
 * @param gatewayImage  the gateway image reference, {@code <registry>/tollgate-gateway:<version>}
 * @param operatorImage the operator image reference, {@code <registry>/tollgate-operator:<version>}
 */
public record BuildInfo(String version, String gatewayImage, String operatorImage) {

    private static final BuildInfo CURRENT = load();

    /** The build this class was compiled in. */
    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/tollgate/api/build.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(p.getProperty("version"), p.getProperty("gateway.image"), p.getProperty("operator.image"));
    }
}
