package io.capstan.store.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keys that encrypt Secrets, kept in a kube-apiserver EncryptionConfiguration (apiserver.config.k8s.io/v1, JSON
 * as k3s writes it) readable only by its owner: one resources entry for secrets with an aesgcm provider whose first
 * key is the primary, then identity so values written before encryption still read.
 */
public final class EncryptionConfigFile {

    private EncryptionConfigFile() {}

    /** The keys in file, primary first; when the file is missing, one new random key is written to it first. */
    public static List<EncryptionKey> loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            write(file, List.of(EncryptionKey.random(newKeyName())));
        }
        return load(file);
    }

    public static List<EncryptionKey> load(Path file) throws IOException {
        JsonNode config = Json.MAPPER.readTree(Files.readAllBytes(file));
        for (JsonNode entry : config.path("resources")) {
            boolean secrets = false;
            for (JsonNode r : entry.path("resources")) {
                secrets |= r.asText().equals("secrets") || r.asText().equals("secrets.");
            }
            if (!secrets) {
                continue;
            }
            JsonNode first = entry.path("providers").path(0);
            if (!first.has("aesgcm")) {
                throw new IOException(file + ": the first provider for secrets must be aesgcm (the only one Capstan has)");
            }
            List<EncryptionKey> keys = new ArrayList<>();
            for (JsonNode k : first.path("aesgcm").path("keys")) {
                keys.add(new EncryptionKey(k.path("name").asText(), Base64.getDecoder().decode(k.path("secret").asText())));
            }
            if (keys.isEmpty()) {
                throw new IOException(file + ": the aesgcm provider has no keys");
            }
            return keys;
        }
        throw new IOException(file + ": no resources entry for secrets");
    }

    /** Writes keys (primary first) atomically, mode 0600. */
    public static void write(Path file, List<EncryptionKey> keys) throws IOException {
        ObjectNode config = Json.object().put("kind", "EncryptionConfiguration").put("apiVersion", "apiserver.config.k8s.io/v1");
        ObjectNode entry = config.putArray("resources").addObject();
        entry.putArray("resources").add("secrets");
        var providers = entry.putArray("providers");
        var keyArray = providers.addObject().putObject("aesgcm").putArray("keys");
        for (EncryptionKey k : keys) {
            keyArray.addObject().put("name", k.name()).put("secret", Base64.getEncoder().encodeToString(k.secret()));
        }
        providers.addObject().putObject("identity");
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".encryption-config", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more can be done
        }
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A key name as k3s makes them: aesgcmkey- and the time in nanoseconds, unique and ordered. */
    public static String newKeyName() {
        return "aesgcmkey-" + System.currentTimeMillis() + String.format("%06d", System.nanoTime() % 1_000_000);
    }
}
