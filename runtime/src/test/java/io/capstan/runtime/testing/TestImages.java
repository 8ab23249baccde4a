package io.capstan.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Test images built here, with no registry: a busybox image as an OCI layout, made with umoci from the
 * machine's static busybox, with /bin links for every applet, /etc/passwd (root, nobody 65534), /etc/group,
 * /tmp; no entrypoint and cmd ["sh"]. Built once per JVM and copied where asked.
 */
public final class TestImages {

    /** The tag of the busybox image inside the layouts made here (its ref.name). */
    public static final String BUSYBOX_TAG = "busybox:1";
    /** The reference an import of the layout names the image by. */
    public static final String BUSYBOX_REFERENCE = "docker.io/library/busybox:1";

    private static Path built;

    private TestImages() {}

    /** Writes the busybox OCI layout into {@code dir} (created if missing) and returns {@code dir}. */
    public static Path busybox(Path dir) {
        Path source = built();
        copyTree(source, dir);
        return dir;
    }

    /** Writes the busybox image as a {@code docker save} archive to {@code file}, tagged {@code busybox:1}. */
    public static Path busyboxDockerArchive(Path file) {
        Tools.run(List.of("skopeo", "copy", "--quiet", "oci:" + built() + ":" + BUSYBOX_TAG,
                "docker-archive:" + file + ":" + BUSYBOX_TAG));
        return file;
    }

    private static synchronized Path built() {
        if (built == null) {
            try {
                Path work = Files.createTempDirectory("capstan-test-images-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
                built = build(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
    }

    private static Path build(Path work) throws IOException {
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        String image = layout + ":" + BUSYBOX_TAG;
        Tools.run(List.of("umoci", "init", "--layout", layout.toString()));
        Tools.run(List.of("umoci", "new", "--image", image));
        Tools.run(List.of("umoci", "unpack", "--image", image, bundle.toString()));
        populate(bundle.resolve("rootfs"));
        Tools.run(List.of("umoci", "repack", "--image", image, bundle.toString()));
        Tools.run(List.of("umoci", "config", "--image", image, "--config.cmd", "sh",
                "--config.env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "--os", "linux", "--architecture", "amd64"));
        Tools.run(List.of("umoci", "gc", "--layout", layout.toString()));
        deleteTree(bundle);
        return layout;
    }

    private static void populate(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        List<String> applets = new ArrayList<>();
        for (String line : Tools.run(List.of("/bin/busybox", "--list")).split("\n")) {
            if (!line.isBlank() && !line.equals("busybox")) {
                applets.add(line.trim());
            }
        }
        for (String applet : applets) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.createDirectories(rootfs.resolve("root"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
    }

    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                            LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree without following links; used by the fixtures to clean up. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
