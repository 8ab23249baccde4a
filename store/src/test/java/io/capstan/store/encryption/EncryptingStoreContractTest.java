package io.capstan.store.encryption;

import io.capstan.store.Store;
import io.capstan.store.StoreContractTest;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;

/** The store contract holds with every value encrypted: the transformer changes nothing a caller can see. */
class EncryptingStoreContractTest extends StoreContractTest {

    /** One fixed key for every opening (also in the crash test's child JVM), so a reopened store reads what was written. */
    private static final EncryptionKey KEY = new EncryptionKey("contract", "0123456789abcdef0123456789abcdef".getBytes());

    @Override
    protected Store newStore(Path dir) {
        return new EncryptingStore(SqliteStore.open(dir.resolve("state.db")), "/",
                new AesGcmTransformer(List.of(KEY)));
    }
}
