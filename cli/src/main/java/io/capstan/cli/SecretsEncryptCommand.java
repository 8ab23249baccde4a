package io.capstan.cli;

import io.capstan.store.encryption.EncryptionConfigFile;
import io.capstan.store.encryption.EncryptionKey;
import io.capstan.store.encryption.SecretsEncryption;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan secrets-encrypt status|rotate`, as k3s's command: Secrets are encrypted at rest with the keys in
 * DATA/encryption-config.json; rotate makes a new primary key and re-encrypts every stored secret with it.
 * It works on the data directory of a stopped server (the running server reads its keys once, at start).
 */
@Command(name = "secrets-encrypt", mixinStandardHelpOptions = true,
        description = "Show or rotate the keys that encrypt Secrets at rest (run rotate with the server stopped).",
        subcommands = {SecretsEncryptCommand.Status.class, SecretsEncryptCommand.Rotate.class})
final class SecretsEncryptCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static Path configFile(Path data) {
        return data.resolve("encryption-config.json");
    }

    /** Holds the server's claim on its keys for as long as it runs, so rotate can tell it is running. */
    static FileLock lockKeys(Path data) throws java.io.IOException {
        FileChannel channel = FileChannel.open(data.resolve("encryption-config.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
        }
        return lock;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the encryption keys, the primary first.")
    static final class Status implements Callable<Integer> {

        @Option(names = "--data-dir", description = "The server's state directory (default: as `capstan server`).")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            Path file = configFile(DataDir.resolve(dataDir));
            if (!Files.exists(file)) {
                System.out.println("Encryption Status: not yet set up (the server makes its key at first start)");
                return 0;
            }
            System.out.println("Encryption Status: Enabled");
            System.out.println("Active Key Type: AES-GCM");
            boolean first = true;
            for (EncryptionKey k : EncryptionConfigFile.load(file)) {
                System.out.println((first ? "* " : "  ") + k.name());
                first = false;
            }
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new primary key and re-encrypt every stored secret with it (the server must be stopped).")
    static final class Rotate implements Callable<Integer> {

        @Option(names = "--data-dir", description = "The server's state directory (default: as `capstan server`).")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            Path data = DataDir.resolve(dataDir);
            if (!Files.exists(data.resolve("state.db"))) {
                System.err.println("error: no state in " + data);
                return 1;
            }
            FileLock lock = lockKeys(data);
            if (lock == null) {
                System.err.println("error: a server is running on " + data + "; stop it, rotate, then start it again");
                return 1;
            }
            // closing the channel releases the lock
            try (FileChannel held = lock.channel(); SqliteStore store = SqliteStore.open(data.resolve("state.db"))) {
                int rewritten = SecretsEncryption.rotate(store, configFile(data));
                System.out.println("New primary key " + EncryptionConfigFile.load(configFile(data)).getFirst().name()
                        + "; re-encrypted " + rewritten + " secrets");
            }
            return 0;
        }
    }
}
