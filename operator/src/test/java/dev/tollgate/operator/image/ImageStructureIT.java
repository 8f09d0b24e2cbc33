package dev.tollgate.operator.image;

import dev.tollgate.api.BuildInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two images as Jib wrote them (profile images): who runs, what runs, and that everything the entrypoint names is
 * in the image. Runs after {@code package}, on gateway/target/jib-image.tar and operator/target/jib-image.tar.
 */
class ImageStructureIT {

    enum App {
        GATEWAY("gateway", BuildInfo.current().gatewayImage(), "dev.tollgate.gateway.Main", "4000/tcp", "/var/lib/tollgate"),
        OPERATOR("operator", BuildInfo.current().operatorImage(), "dev.tollgate.operator.OperatorMain", "8080/tcp", "/app");

        final String module;
        final String reference;
        final String mainClass;
        final String port;
        final String workingDir;

        App(String module, String reference, String mainClass, String port, String workingDir) {
            this.module = module;
            this.reference = reference;
            this.mainClass = mainClass;
            this.port = port;
            this.workingDir = workingDir;
        }

        Path tar() {
            return Path.of(System.getProperty("tollgate.root", ".."), module, "target", "jib-image.tar");
        }
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void theImageIsNamedAsTheChartAndTheOperatorExpectAndLabelledWithItsSource(App app) throws Exception {
        try (ContainerImage image = ContainerImage.unpack(app.tar())) {
            assertThat(image.repoTags()).containsExactly(app.reference);
            assertThat(image.label("org.opencontainers.image.version")).isEqualTo(BuildInfo.current().version());
            assertThat(image.label("org.opencontainers.image.source")).startsWith("https://github.com/");
            assertThat(image.label("org.opencontainers.image.revision")).matches("[0-9a-f]{40}").isEqualTo(head());
            assertThat(image.label("org.opencontainers.image.title")).isEqualTo("tollgate-" + app.module);
            assertThat(image.config().path("architecture").asText()).isNotBlank();
            assertThat(image.config().path("created").asText()).as("reproducible: no build time").isEqualTo("1970-01-01T00:00:00Z");
        }
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void aNumericNonRootUserRunsTheAppsOwnEntrypointAndEverythingItNamesIsThere(App app) throws Exception {
        try (ContainerImage image = ContainerImage.unpack(app.tar())) {
            assertThat(image.runConfig().path("User").asText()).isEqualTo("65532:65532");
            assertThat(image.runConfig().path("ExposedPorts").has(app.port)).isTrue();
            assertThat(image.runConfig().path("WorkingDir").asText()).isEqualTo(app.workingDir);
            assertThat(Files.isDirectory(image.path(app.workingDir))).isTrue();

            List<String> entrypoint = image.entrypoint();
            assertThat(entrypoint.getFirst()).isEqualTo("/opt/java/openjdk/bin/java");
            assertThat(entrypoint.getLast()).isEqualTo(app.mainClass);
            assertThat(Files.getPosixFilePermissions(image.path(entrypoint.getFirst()))).contains(PosixFilePermission.OTHERS_EXECUTE);
            assertThat(javaSpecVersion(image)).isEqualTo("25");

            String classpathArg = entrypoint.get(entrypoint.indexOf("-cp") + 1);
            assertThat(classpathArg).startsWith("@");
            List<String> classpath = List.of(Files.readString(image.path(classpathArg.substring(1))).trim().split(":"));
            assertThat(classpath).isNotEmpty().allSatisfy(entry -> assertThat(image.path(entry)).as(entry).exists());
            Path mainClassFile = image.path("/app/classes/" + app.mainClass.replace('.', '/') + ".class");
            assertThat(mainClassFile).isRegularFile();
            assertThat(classpath).contains("/app/classes");
        }
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void theImageHasNoShellAndTheAppCannotChangeItsOwnCode(App app) throws Exception {
        try (ContainerImage image = ContainerImage.unpack(app.tar())) {
            for (String shell : List.of("/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/dash", "/bin/busybox")) {
                assertThat(image.path(shell)).as(shell).doesNotExist();
            }
            try (Stream<Path> files = Files.walk(image.path("/app"))) {
                assertThat(files.toList()).isNotEmpty().allSatisfy(f -> {
                    assertThat(Files.getAttribute(f, "unix:uid")).as(f.toString()).isEqualTo(0);
                    assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).doesNotContain(PosixFilePermission.OTHERS_WRITE);
                });
            }
            Set<PosixFilePermission> tmp = Files.getPosixFilePermissions(image.path("/tmp"));
            assertThat(tmp).contains(PosixFilePermission.OTHERS_WRITE);
            assertThat(image.path("/etc/passwd")).content().contains("nonroot:x:65532:65532:");
        }
    }

    /** The commit the sources are at (the build and this test run on the same checkout). */
    private static String head() throws Exception {
        Process git = new ProcessBuilder("git", "-C", System.getProperty("tollgate.root", ".."), "rev-parse", "HEAD").start();
        String out = new String(git.getInputStream().readAllBytes()).trim();
        assertThat(git.waitFor()).as("git rev-parse HEAD").isZero();
        return out;
    }

    /** The runtime's own release file says which Java it is. */
    private static String javaSpecVersion(ContainerImage image) throws Exception {
        return Files.readAllLines(image.path("/opt/java/openjdk/release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=")).map(l -> l.replaceAll("JAVA_VERSION=\"(\\d+).*", "$1")).findFirst().orElse("");
    }
}
