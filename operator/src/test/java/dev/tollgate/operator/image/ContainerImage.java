package dev.tollgate.operator.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image as Jib's {@code buildTar} wrote it (a docker-archive: {@code manifest.json}, the config JSON, one gzipped
 * tar per layer), unpacked the way a container runtime lays it out: layers in order into one root file system, owners
 * and modes kept (GNU tar as root).
 */
public final class ContainerImage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode manifest;
    private final JsonNode config;
    private final Path rootfs;

    private ContainerImage(Path dir, JsonNode manifest, JsonNode config, Path rootfs) {
        this.dir = dir;
        this.manifest = manifest;
        this.config = config;
        this.rootfs = rootfs;
    }

    /** Unpacks {@code imageTar} into a new temporary directory. */
    public static ContainerImage unpack(Path imageTar) throws IOException {
        if (!Files.isRegularFile(imageTar)) {
            throw new IllegalStateException(imageTar + " is missing: build it with ./mvnw -Pimages -DskipTests package");
        }
        Path dir = Files.createTempDirectory("tollgate-image-");
        run(List.of("tar", "-xf", imageTar.toString(), "-C", dir.toString()));
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
        JsonNode config = JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile());
        Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
        rootfs.toFile().setReadable(true, false);
        rootfs.toFile().setExecutable(true, false);
        for (JsonNode layer : manifest.path("Layers")) {
            run(List.of("tar", "--same-owner", "--same-permissions", "--warning=no-unknown-keyword", "-xzf",
                    dir.resolve(layer.asText()).toString(), "-C", rootfs.toString()));
        }
        return new ContainerImage(dir, manifest, config, rootfs);
    }

    /** The image's tags as the archive names them. */
    public List<String> repoTags() {
        List<String> tags = new ArrayList<>();
        manifest.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    /** The runtime part of the image config: User, Entrypoint, Env, ExposedPorts, Labels, WorkingDir. */
    public JsonNode runConfig() {
        return config.path("config");
    }

    /** The whole image config (architecture, os, rootfs diff ids, history). */
    public JsonNode config() {
        return config;
    }

    public List<String> entrypoint() {
        List<String> out = new ArrayList<>();
        runConfig().path("Entrypoint").forEach(a -> out.add(a.asText()));
        return out;
    }

    public List<String> env() {
        List<String> out = new ArrayList<>();
        runConfig().path("Env").forEach(a -> out.add(a.asText()));
        return out;
    }

    public String label(String name) {
        return runConfig().path("Labels").path(name).asText(null);
    }

    /** A path inside the image, e.g. {@code path("/app/jib-classpath-file")}. */
    public Path path(String absolute) {
        return rootfs.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    public Path rootfs() {
        return rootfs;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs a host command to its end; a non-zero exit is an IOException carrying its output. */
    static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
