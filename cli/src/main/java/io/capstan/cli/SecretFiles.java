package io.capstan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Files only the owner may read: tokens and kubeconfigs. */
final class SecretFiles {

    private SecretFiles() {}

    static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more can be done
        }
    }

    /** The token stored in file, made (random, 0600) on first use. */
    static String loadOrCreateToken(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token", ".tmp");
        restrict(tmp);
        Files.writeString(tmp, token + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }
}
