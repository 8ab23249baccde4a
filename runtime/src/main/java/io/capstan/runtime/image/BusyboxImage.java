package io.capstan.runtime.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A busybox image made on this machine with no registry, for benchmarks and tests: an OCI layout built with umoci
 * from the host's static busybox (/bin/busybox), with /bin links for every applet, /etc/passwd (root, nobody
 * 65534), /etc/group, /root and /tmp; no entrypoint and cmd ["sh"].
 */
public final class BusyboxImage {

    /** The tag of the image inside the layouts made here (its ref.name). */
    public static final String TAG = "busybox:1";
    /** The reference an import of the layout names the image by. */
    public static final String REFERENCE = "docker.io/library/busybox:1";

    private BusyboxImage() {}

    /**
     * Builds the layout in {@code layout} (which must not exist yet), using {@code work} for a scratch bundle.
     *
     * @throws IOException when umoci or busybox is missing or fails
     */
    public static Path build(Path layout, Path work) throws IOException {
        Path bundle = work.resolve("busybox-bundle");
        String image = layout + ":" + TAG;
        umoci("init", "--layout", layout.toString());
        umoci("new", "--image", image);
        umoci("unpack", "--image", image, bundle.toString());
        try {
            populate(bundle.resolve("rootfs"));
            umoci("repack", "--image", image, bundle.toString());
        } finally {
            Trees.delete(bundle);
        }
        umoci("config", "--image", image, "--config.cmd", "sh",
                "--config.env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "--os", "linux", "--architecture", "amd64");
        umoci("gc", "--layout", layout.toString());
        return layout;
    }

    /** Unpacks the layout's image into an OCI runtime bundle (config.json and rootfs) as {@code runc run} takes it. */
    public static Path unpack(Path layout, Path bundle) throws IOException {
        umoci("unpack", "--image", layout + ":" + TAG, bundle.toString());
        return bundle;
    }

    private static void populate(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        List<String> applets = new ArrayList<>();
        for (String line : Commands.output(null, List.of("/bin/busybox", "--list")).split("\n")) {
            if (!line.isBlank() && !line.strip().equals("busybox")) {
                applets.add(line.strip());
            }
        }
        for (String applet : applets) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.createDirectories(rootfs.resolve("root"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
    }

    private static void umoci(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("umoci"));
        command.addAll(List.of(args));
        Commands.run(null, command);
    }
}
