package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.runtime.image.BusyboxImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The floor a pod start is compared with: {@code runc run -d} of the image's unpacked bundle, with no agent, conmon,
 * pod network or API in between. One rootfs (umoci unpack) is shared by per-container bundles whose config.json
 * runs {@code sleep 3600} without a terminal, in its own cgroup under {@code cgroupRoot}; everything is kept under
 * {@code dir} and removed by {@link #close()}.
 */
final class RawRunc implements AutoCloseable {

    private final Path dir;
    private final Path runcRoot;
    private final String cgroupRoot;
    private final ObjectNode config;
    private int started;

    private RawRunc(Path dir, String cgroupRoot, ObjectNode config) {
        this.dir = dir;
        this.runcRoot = dir.resolve("runc-root");
        this.cgroupRoot = cgroupRoot;
        this.config = config;
    }

    /** Unpacks the busybox layout into {@code dir}/bundle, whose rootfs every container here runs on. */
    static RawRunc prepare(Path layout, Path dir, String cgroupRoot) throws IOException {
        Path bundle = BusyboxImage.unpack(layout, dir.resolve("bundle"));
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(bundle.resolve("config.json").toFile());
        config.putObject("root").put("path", bundle.resolve("rootfs").toString()).put("readonly", false);
        ObjectNode process = (ObjectNode) config.path("process");
        process.put("terminal", false);
        process.putArray("args").add("sleep").add("3600");
        return new RawRunc(dir, cgroupRoot, config);
    }

    /**
     * Writes the next container's bundle, then times {@code runc run -d} of it (process start to exit, by which runc
     * has started the container's process); returns nanoseconds.
     */
    long runNext() throws IOException, InterruptedException {
        String id = "c" + started++;
        Path bundle = Files.createDirectories(dir.resolve("bundles").resolve(id));
        ObjectNode own = config.deepCopy();
        ((ObjectNode) own.path("linux")).put("cgroupsPath", "/" + cgroupRoot + "/" + id);
        Files.writeString(bundle.resolve("config.json"), Json.MAPPER.writeValueAsString(own), StandardCharsets.UTF_8);
        // The detached container keeps the stdio it is given: /dev/null, so nothing here waits on it.
        ProcessBuilder run = new ProcessBuilder("runc", "--root", runcRoot.toString(), "run", "-d", "--bundle", bundle.toString(), id)
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("runc-" + id + ".err").toFile());
        long start = System.nanoTime();
        Process p = run.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("runc run " + id + " did not return within 60 s");
        }
        long took = System.nanoTime() - start;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("runc run " + id + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(dir.resolve("runc-" + id + ".err")));
        }
        return took;
    }

    /** Kills and deletes the containers, then their cgroups; the files go with the benchmark's directory. */
    @Override
    public void close() {
        NodeLeftovers.runcContainers(runcRoot);
        NodeLeftovers.cgroups(cgroupRoot);
    }
}
