package io.capstan.cli;

import java.nio.file.Path;

/** Where a node keeps its state: --data-dir, else $CAPSTAN_DATA_DIR, else /var/lib/capstan as root or ~/.local/share/capstan. */
final class DataDir {

    private DataDir() {}

    static Path resolve(Path given) {
        if (given != null) {
            return given.toAbsolutePath();
        }
        String env = System.getenv("CAPSTAN_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/capstan");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "capstan");
    }
}
