package io.capstan.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether this host can run containers: runc and conmon present, and we are root. */
final class HostCheck {

    private HostCheck() {}

    /** One line naming what is missing, or empty. */
    static Optional<String> missing(Path runc, Path conmon) {
        if (runc == null && conmon == null) {
            return Optional.of("runc and conmon are not installed (looked on PATH, /usr/sbin, /usr/bin, /usr/libexec/podman, /usr/libexec/crio)");
        }
        if (runc == null) {
            return Optional.of("runc is not installed (looked on PATH, /usr/sbin, /usr/bin)");
        }
        if (conmon == null) {
            return Optional.of("conmon is not installed (looked on PATH, /usr/bin, /usr/libexec/podman, /usr/libexec/crio)");
        }
        if (uid() != 0) {
            return Optional.of("containers need root: the agent runs as uid " + uid());
        }
        return Optional.empty();
    }

    /** This process's hard limit of open files (from /proc/self/limits), which containers inherit; 0 when unknown. */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String hard = line.substring("Max open files".length()).strip().split("\\s+")[1];
                    return hard.equals("unlimited") ? 0 : Long.parseLong(hard);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** The capabilities in this process's bounding set (CapBnd in /proc/self/status), by name; empty when unknown. */
    static List<String> boundingCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    List<String> names = new ArrayList<>();
                    for (int bit = 0; bit < OciSpecBuilder.ALL_CAPABILITIES.size(); bit++) {
                        if ((mask & (1L << bit)) != 0) {
                            names.add(OciSpecBuilder.ALL_CAPABILITIES.get(bit));
                        }
                    }
                    return names;
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.of();
    }

    /** The effective uid, from /proc/self/status ("Uid:\treal\teffective\t..."). */
    static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
