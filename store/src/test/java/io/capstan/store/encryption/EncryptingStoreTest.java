package io.capstan.store.encryption;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.store.Store;
import io.capstan.store.WatchEvent;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingStoreTest {

    @TempDir
    Path dir;
    private Store raw;

    @AfterEach
    void close() {
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void secretsAreStoredEncryptedAndEveryReadPathSeesThemPlain() throws Exception {
        raw = SqliteStore.open(dir.resolve("state.db"));
        Store store = SecretsEncryption.wrap(raw, dir.resolve("encryption-config.json"));
        var watch = store.watch("/registry/", 0);
        store.create("/registry/secrets/ns/a", "alpha".getBytes(UTF_8));
        store.update("/registry/secrets/ns/a", "beta".getBytes(UTF_8), 0);
        store.create("/registry/configmaps/ns/c", "open".getBytes(UTF_8));

        assertThat(new String(raw.get("/registry/secrets/ns/a").orElseThrow().value(), UTF_8)).startsWith("k8s:enc:aesgcm:v1:");
        assertThat(raw.get("/registry/configmaps/ns/c").orElseThrow().value()).isEqualTo("open".getBytes(UTF_8));
        assertThat(store.get("/registry/secrets/ns/a").orElseThrow().value()).isEqualTo("beta".getBytes(UTF_8));
        assertThat(store.range("/registry/", null, 0, 0).items()).extracting(kv -> new String(kv.value(), UTF_8))
                .containsExactly("open", "beta");
        WatchEvent created = watch.next(Duration.ofSeconds(5));
        WatchEvent updated = watch.next(Duration.ofSeconds(5));
        assertThat(created.kv().value()).isEqualTo("alpha".getBytes(UTF_8));
        assertThat(updated.prevKv().value()).isEqualTo("alpha".getBytes(UTF_8));
        assertThat(updated.kv().value()).isEqualTo("beta".getBytes(UTF_8));
        assertThat(store.delete("/registry/secrets/ns/a", 0).value()).isEqualTo("beta".getBytes(UTF_8));
        watch.close();
    }

    @Test
    void theKeyFileIsOwnerOnly() throws Exception {
        Path file = dir.resolve("encryption-config.json");
        EncryptionConfigFile.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(EncryptionConfigFile.load(file)).hasSize(1);
    }

    @Test
    void rotationReencryptsEverySecretWithANewPrimaryAndKeepsTheOldKey() throws Exception {
        Path file = dir.resolve("encryption-config.json");
        raw = SqliteStore.open(dir.resolve("state.db"));
        Store before = SecretsEncryption.wrap(raw, file);
        before.create("/registry/secrets/ns/a", "alpha".getBytes(UTF_8));
        raw.create("/registry/secrets/ns/plain", "from-before".getBytes(UTF_8));
        String oldName = EncryptionConfigFile.load(file).getFirst().name();

        assertThat(SecretsEncryption.rotate(raw, file)).isEqualTo(2);

        List<EncryptionKey> keys = EncryptionConfigFile.load(file);
        assertThat(keys).extracting(EncryptionKey::name).hasSize(2).last().isEqualTo(oldName);
        assertThat(new String(raw.get("/registry/secrets/ns/a").orElseThrow().value(), UTF_8))
                .startsWith("k8s:enc:aesgcm:v1:" + keys.getFirst().name() + ":");
        assertThat(new String(raw.get("/registry/secrets/ns/plain").orElseThrow().value(), UTF_8)).doesNotContain("from-before");
        Store after = SecretsEncryption.wrap(raw, file);
        assertThat(after.get("/registry/secrets/ns/a").orElseThrow().value()).isEqualTo("alpha".getBytes(UTF_8));
        assertThat(after.get("/registry/secrets/ns/plain").orElseThrow().value()).isEqualTo("from-before".getBytes(UTF_8));
    }
}
