package io.capstan.agent.volumes;

import java.nio.file.Path;
import java.util.List;

/** The mounts volumes need on the host: tmpfs for memory-backed emptyDirs, and unmounting at teardown. */
public interface Mounter {

    /** Mounts a tmpfs on {@code target}; {@code sizeBytes} 0 for the kernel's default size. */
    void mountTmpfs(Path target, long sizeBytes);

    void unmount(Path target);

    /** The mount points at or below {@code dir}, deepest first. */
    List<Path> mountPointsUnder(Path dir);

    /** Mounts through the host's mount(8) and umount(8); needs root. */
    static Mounter system() {
        return new SystemMounter();
    }
}
