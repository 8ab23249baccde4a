package io.capstan.runtime.oci;

import io.capstan.runtime.ContainerSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resolves a user's primary group from the container's /etc/passwd, as runtimes do when only a uid is given. */
public final class Passwd {

    private Passwd() {}

    /** The spec with {@code gid} -1 replaced by the uid's group in the rootfs's /etc/passwd, or 0 when it has none. */
    static ContainerSpec withPrimaryGroup(ContainerSpec spec) {
        if (spec.user() == null) {
            return with(spec, ContainerSpec.User.ROOT);
        }
        if (spec.user().gid() >= 0) {
            return spec;
        }
        long gid = spec.rootfs() == null ? 0 : primaryGroup(spec.rootfs().resolve("etc/passwd"), spec.user().uid());
        return with(spec, new ContainerSpec.User(spec.user().uid(), gid, spec.user().additionalGids()));
    }

    /** The group of {@code uid} in a passwd file; 0 when it is not listed. */
    public static long primaryGroup(Path passwd, long uid) {
        try {
            for (String line : Files.readAllLines(passwd)) {
                // name:password:uid:gid:gecos:home:shell
                String[] fields = line.split(":");
                if (fields.length >= 4 && fields[2].equals(Long.toString(uid))) {
                    return Long.parseLong(fields[3]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static ContainerSpec with(ContainerSpec spec, ContainerSpec.User user) {
        return new ContainerSpec(spec.name(), spec.labels(), spec.rootfs(), spec.args(), spec.env(), spec.workingDir(), user,
                spec.mounts(), spec.security() == null ? ContainerSpec.Security.DEFAULT : spec.security(),
                spec.resources() == null ? ContainerSpec.Resources.NONE : spec.resources(), spec.tty(), spec.stdin(), spec.stdinOnce(),
                spec.logPath());
    }
}
