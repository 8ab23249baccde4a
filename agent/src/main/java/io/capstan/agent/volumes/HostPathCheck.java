package io.capstan.agent.volumes;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The hostPath type checks of the kubelet's hostpath plugin (checkTypeInternal), creating what *OrCreate asks for. */
final class HostPathCheck {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;

    private HostPathCheck() {}

    /** Checks {@code path} against {@code type} (null or empty: no check); returns the kubelet's message when it fails. */
    static String check(Path path, String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        try {
            switch (type) {
                case "DirectoryOrCreate":
                    if (!Files.exists(path)) {
                        Files.createDirectories(path);
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                        return null;
                    }
                    return directory(path);
                case "Directory":
                    return directory(path);
                case "FileOrCreate":
                    if (!Files.exists(path)) {
                        try {
                            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                        } catch (FileAlreadyExistsException raced) {
                            return file(path);
                        }
                        return null;
                    }
                    return file(path);
                case "File":
                    return file(path);
                case "Socket":
                    return kind(path, S_IFSOCK) ? null : "hostPath type check failed: " + path + " is not a socket file";
                case "CharDevice":
                    return kind(path, S_IFCHR) ? null : "hostPath type check failed: " + path + " is not a character device";
                case "BlockDevice":
                    return kind(path, S_IFBLK) ? null : "hostPath type check failed: " + path + " is not a block device";
                default:
                    return type + " is an invalid volume type";
            }
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String directory(Path path) {
        if (!Files.exists(path)) {
            return "hostPath type check failed: " + path + " does not exist";
        }
        return Files.isDirectory(path) ? null : "hostPath type check failed: " + path + " is not a directory";
    }

    private static String file(Path path) {
        if (!Files.exists(path)) {
            return "hostPath type check failed: " + path + " does not exist";
        }
        return !Files.isRegularFile(path) ? "hostPath type check failed: " + path + " is not a file" : null;
    }

    private static boolean kind(Path path, int type) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return (mode & S_IFMT) == type;
    }
}
