package io.capstan.runtime.testing;

import io.capstan.runtime.image.BusyboxImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Test images built here, with no registry: the {@link BusyboxImage} OCI layout, built once per JVM and copied
 * where asked.
 */
public final class TestImages {

    /** The tag of the busybox image inside the layouts made here (its ref.name). */
    public static final String BUSYBOX_TAG = BusyboxImage.TAG;
    /** The reference an import of the layout names the image by. */
    public static final String BUSYBOX_REFERENCE = BusyboxImage.REFERENCE;

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
                built = BusyboxImage.build(work.resolve("layout"), work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
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
