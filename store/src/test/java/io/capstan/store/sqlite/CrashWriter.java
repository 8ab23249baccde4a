package io.capstan.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes keys forever, printing each one after the store acknowledged it; killed by SqliteStoreTest. */
public final class CrashWriter {

    public static void main(String[] args) {
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        for (int i = 0; ; i++) {
            String key = "/crash/" + i;
            store.create(key, ("value-" + i).getBytes(StandardCharsets.UTF_8));
            System.out.println(key);
            System.out.flush();
        }
    }
}
