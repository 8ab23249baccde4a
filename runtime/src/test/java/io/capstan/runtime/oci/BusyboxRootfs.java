package io.capstan.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A root filesystem for tests: the host's static busybox with a link per applet, and a passwd with nobody. */
final class BusyboxRootfs {

    private BusyboxRootfs() {}

    static boolean available() {
        return Files.isExecutable(Path.of("/bin/busybox"));
    }

    static Path create(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        String applets = Commands.check("busybox --list", List.of("/bin/busybox", "--list"));
        for (String applet : applets.lines().map(String::strip).filter(a -> !a.isEmpty() && !a.equals("busybox")).toList()) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String empty : List.of("proc", "sys", "dev", "tmp", "www")) {
            Files.createDirectories(dir.resolve(empty));
        }
        Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("passwd"),
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(dir.resolve("www/index.html"), "served from the first container\n");
        Files.setPosixFilePermissions(dir.resolve("tmp"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }
}
