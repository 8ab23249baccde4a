package io.capstan.runtime.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The host's device nodes under /dev, which a privileged container gets (as CRI-O and containerd give them). */
final class HostDevices {

    private HostDevices() {}

    static List<OciSpecBuilder.HostDevice> list() {
        List<OciSpecBuilder.HostDevice> devices = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(Path.of("/dev"))) {
            for (Path path : paths.toList()) {
                // A container has its own pts, shm and mqueue; /dev/console is set up by runc for a tty.
                String name = path.toString();
                if (name.startsWith("/dev/pts/") || name.startsWith("/dev/shm/") || name.startsWith("/dev/mqueue/")
                        || name.equals("/dev/console")) {
                    continue;
                }
                device(path).ifPresent(devices::add);
            }
        } catch (IOException | UncheckedIOException e) {
            return devices;
        }
        return devices;
    }

    private static Optional<OciSpecBuilder.HostDevice> device(Path path) {
        try {
            int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int kind = mode & 0170000;
            String type = kind == 0020000 ? "c" : kind == 0060000 ? "b" : null;
            if (type == null) {
                return Optional.empty();
            }
            long rdev = (long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            // glibc's gnu_dev_major/minor.
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            int uid = (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (int) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new OciSpecBuilder.HostDevice(path.toString(), type, major, minor, mode & 07777, uid, gid));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
