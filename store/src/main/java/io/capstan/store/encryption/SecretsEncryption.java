package io.capstan.store.encryption;

import io.capstan.store.KeyValue;
import io.capstan.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where Secrets live in the store and how a store is opened so they are encrypted at rest. */
public final class SecretsEncryption {

    /** The store prefix of the secrets resource (/registry/{resource}/, as kube-apiserver lays out etcd). */
    public static final String PREFIX = "/registry/secrets/";

    private SecretsEncryption() {}

    /** store with secrets encrypted by the keys of configFile (made with a new key when missing). */
    public static Store wrap(Store store, Path configFile) throws IOException {
        return new EncryptingStore(store, PREFIX, new AesGcmTransformer(EncryptionConfigFile.loadOrCreate(configFile)));
    }

    /**
     * Makes a new primary key (the old ones stay, for reading) and re-encrypts every stored secret with it; store must
     * be the raw store, used by no running server. Returns how many secrets were rewritten.
     */
    public static int rotate(Store raw, Path configFile) throws IOException {
        List<EncryptionKey> keys = new ArrayList<>(EncryptionConfigFile.loadOrCreate(configFile));
        keys.addFirst(EncryptionKey.random(EncryptionConfigFile.newKeyName()));
        EncryptionConfigFile.write(configFile, keys);
        return reencrypt(raw, new AesGcmTransformer(keys));
    }

    /** Rewrites every secret not written with the transformer's primary key; returns how many. */
    static int reencrypt(Store raw, AesGcmTransformer transformer) {
        Store encrypting = new EncryptingStore(raw, PREFIX, transformer);
        int rewritten = 0;
        for (KeyValue kv : raw.range(PREFIX, null, 0, 0).items()) {
            if (transformer.stale(kv.value())) {
                encrypting.update(kv.key(), transformer.fromStorage(kv.key(), kv.value()), kv.modRevision());
                rewritten++;
            }
        }
        return rewritten;
    }
}
