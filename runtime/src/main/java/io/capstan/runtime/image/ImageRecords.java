package io.capstan.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The image records on disk, one JSON file per image under ROOT/images, each replaced atomically. The files
 * are the truth (read on every call), so a {@code capstan image import} beside a running agent is seen at once.
 */
final class ImageRecords {

    private final Path dir;
    private final Path tmp;

    ImageRecords(Path root) {
        this.dir = root.resolve("images");
        this.tmp = root.resolve("tmp");
    }

    List<ImageRecord> all() {
        List<ImageRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(Oci.JSON.readValue(f.toFile(), ImageRecord.class));
                } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                    // removed while we listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image records in " + dir, e);
        }
        return out;
    }

    Optional<ImageRecord> get(String id) {
        Path f = file(id);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Oci.JSON.readValue(f.toFile(), ImageRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image record " + f, e);
        }
    }

    void put(ImageRecord record) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(tmp);
            Path partial = Files.createTempFile(tmp, "image-", ".json");
            Oci.JSON.writeValue(partial.toFile(), record);
            Files.move(partial, file(record.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image record for " + record.id(), e);
        }
    }

    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String id) {
        return dir.resolve(Digests.hex(Digests.check(id)) + ".json");
    }
}
