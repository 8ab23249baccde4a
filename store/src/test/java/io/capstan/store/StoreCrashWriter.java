package io.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link StoreContractTest}: opens a store the way the given contract test
 * does, writes keys from several threads and prints "key revision ." once each write is
 * acknowledged, until it is killed.
 */
public final class StoreCrashWriter {

    static final int THREADS = 4;

    private StoreCrashWriter() {}

    /** args: the concrete StoreContractTest class, the store's directory. */
    public static void main(String[] args) throws Exception {
        var constructor = Class.forName(args[0]).asSubclass(StoreContractTest.class).getDeclaredConstructor();
        constructor.setAccessible(true); // test classes are often package-private
        Store store = constructor.newInstance().newStore(Path.of(args[1]));
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    String key = "/crash/" + thread + "/" + i;
                    KeyValue kv = store.create(key, key.getBytes(UTF_8));
                    synchronized (System.out) {
                        // The trailing dot tells a whole line from one cut short by the kill.
                        System.out.println(key + " " + kv.modRevision() + " .");
                        System.out.flush();
                    }
                }
            });
        }
    }
}
