package io.capstan.runtime.oci;

import java.nio.file.Path;

/**
 * Where {@link RuncRuntime} keeps its state and which programs it runs.
 *
 * @param stateRoot sandboxes, bundles, exit files and runc's own state live under it (keep it on a local disk)
 * @param runc the runc binary, or null when none was found
 * @param conmon the conmon binary, or null when none was found
 * @param cgroupRoot the cgroup (relative to each hierarchy's root) under which sandboxes without a cgroup parent of their own go
 */
public record RuncOptions(Path stateRoot, Path runc, Path conmon, String cgroupRoot) {

    /** Options with runc and conmon looked up on PATH and in the usual directories, under the cgroup {@code capstan}. */
    public static RuncOptions defaults(Path stateRoot) {
        return new RuncOptions(stateRoot, Binaries.find("runc").orElse(null), Binaries.find("conmon").orElse(null), "capstan");
    }

    public RuncOptions withCgroupRoot(String root) {
        return new RuncOptions(stateRoot, runc, conmon, root);
    }
}
