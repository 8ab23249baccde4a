package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.capstan.runtime.RuntimeFailure;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The layout of the runtime's state root, which is all a restarted runtime needs:
 * {@code sandboxes/ID/sandbox.json}, {@code ns/} (pinned namespaces), {@code containers/ID/} (the OCI bundle with
 * {@code container.json}, conmon's pid files and the {@code oom} marker), {@code exits/ID} (conmon's exit files),
 * {@code runc/} (runc's own state) and {@code attach/} (conmon's attach sockets).
 */
final class StateDir {

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    /** Container records never change once written; the agent lists them every second for every pod. */
    private final java.util.Map<String, ContainerRecord> records = new java.util.concurrent.ConcurrentHashMap<>();

    StateDir(Path root) {
        this.root = root.toAbsolutePath();
    }

    Path root() {
        return root;
    }

    Path sandboxDir(String id) {
        return root.resolve("sandboxes").resolve(id);
    }

    Path namespaces() {
        return root.resolve("ns");
    }

    Path bundle(String containerId) {
        return root.resolve("containers").resolve(containerId);
    }

    Path exitFile(String containerId) {
        return exits().resolve(containerId);
    }

    Path exits() {
        return root.resolve("exits");
    }

    Path runcRoot() {
        return root.resolve("runc");
    }

    Path attachSockets() {
        return root.resolve("attach");
    }

    void createLayout() {
        try {
            for (Path dir : List.of(root.resolve("sandboxes"), namespaces(), root.resolve("containers"), exits(), runcRoot(), attachSockets())) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create the runtime's state directory " + root + ": " + e.getMessage(), e);
        }
    }

    Optional<SandboxRecord> sandbox(String id) {
        return read(sandboxDir(id).resolve("sandbox.json"), SandboxRecord.class);
    }

    void writeSandbox(SandboxRecord record) {
        write(sandboxDir(record.id()).resolve("sandbox.json"), record);
    }

    List<SandboxRecord> sandboxes() {
        return ids(root.resolve("sandboxes")).stream().flatMap(id -> sandbox(id).stream()).toList();
    }

    Optional<ContainerRecord> container(String id) {
        return read(bundle(id).resolve("container.json"), ContainerRecord.class);
    }

    void writeContainer(ContainerRecord record) {
        write(bundle(record.id()).resolve("container.json"), record);
    }

    /** The records of the containers whose bundle directory exists now; each read from disk once. */
    List<ContainerRecord> containers() {
        List<String> ids = ids(root.resolve("containers"));
        records.keySet().retainAll(new java.util.HashSet<>(ids));
        List<ContainerRecord> list = new ArrayList<>();
        for (String id : ids) {
            ContainerRecord record = records.get(id);
            if (record == null) {
                record = container(id).orElse(null);
                if (record == null) {
                    continue; // being written or removed
                }
                records.put(id, record);
            }
            list.add(record);
        }
        return list;
    }

    /** Writes through a temporary file and a rename, so a crash never leaves half a record. */
    static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            // A record that is missing or was removed while we listed is simply not there.
            return Optional.empty();
        }
    }

    static Optional<String> readString(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> ids(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return new ArrayList<>(entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList());
        } catch (IOException e) {
            return List.of();
        }
    }
}
