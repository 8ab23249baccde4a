package io.capstan.store.encryption;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.store.StoreException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmTransformerTest {

    private static final String KEY = "/registry/secrets/default/s";
    private final EncryptionKey one = EncryptionKey.random("one");
    private final EncryptionKey two = EncryptionKey.random("two");

    @Test
    void roundTripsAndHidesThePlainText() {
        var t = new AesGcmTransformer(List.of(one));
        byte[] stored = t.toStorage(KEY, "top-secret".getBytes(UTF_8));
        assertThat(new String(stored, UTF_8)).startsWith("k8s:enc:aesgcm:v1:one:").doesNotContain("top-secret");
        assertThat(new String(t.fromStorage(KEY, stored), UTF_8)).isEqualTo("top-secret");
    }

    @Test
    void everyWriteHasItsOwnNonce() {
        var t = new AesGcmTransformer(List.of(one));
        assertThat(t.toStorage(KEY, "same".getBytes(UTF_8))).isNotEqualTo(t.toStorage(KEY, "same".getBytes(UTF_8)));
    }

    @Test
    void aWrongKeyOfTheSameNameFails() {
        byte[] stored = new AesGcmTransformer(List.of(one)).toStorage(KEY, "v".getBytes(UTF_8));
        var other = new AesGcmTransformer(List.of(EncryptionKey.random("one")));
        assertThatThrownBy(() -> other.fromStorage(KEY, stored)).isInstanceOf(StoreException.class).hasMessageContaining("decrypt");
    }

    @Test
    void anUnknownKeyNameFails() {
        byte[] stored = new AesGcmTransformer(List.of(one)).toStorage(KEY, "v".getBytes(UTF_8));
        assertThatThrownBy(() -> new AesGcmTransformer(List.of(two)).fromStorage(KEY, stored)).hasMessageContaining("\"one\"");
    }

    @Test
    void aValueMovedToAnotherKeyDoesNotDecrypt() {
        var t = new AesGcmTransformer(List.of(one));
        byte[] stored = t.toStorage(KEY, "v".getBytes(UTF_8));
        assertThatThrownBy(() -> t.fromStorage("/registry/secrets/default/other", stored)).isInstanceOf(StoreException.class);
    }

    @Test
    void anOlderKeyStillReadsAndNewWritesUseThePrimary() {
        byte[] old = new AesGcmTransformer(List.of(one)).toStorage(KEY, "v".getBytes(UTF_8));
        var rotated = new AesGcmTransformer(List.of(two, one));
        assertThat(rotated.fromStorage(KEY, old)).isEqualTo("v".getBytes(UTF_8));
        assertThat(rotated.stale(old)).isTrue();
        byte[] fresh = rotated.toStorage(KEY, "v".getBytes(UTF_8));
        assertThat(new String(fresh, UTF_8)).startsWith("k8s:enc:aesgcm:v1:two:");
        assertThat(rotated.stale(fresh)).isFalse();
    }

    @Test
    void plainValuesFromBeforeEncryptionReadAsTheyAre() {
        assertThat(new AesGcmTransformer(List.of(one)).fromStorage(KEY, "{\"kind\":\"Secret\"}".getBytes(UTF_8)))
                .isEqualTo("{\"kind\":\"Secret\"}".getBytes(UTF_8));
    }
}
