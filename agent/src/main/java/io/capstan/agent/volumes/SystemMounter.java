package io.capstan.agent.volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Mounts with mount(8) and umount(8), and reads mount points from /proc/self/mountinfo. */
final class SystemMounter implements Mounter {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mountTmpfs(Path target, long sizeBytes) {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeBytes > 0) {
            cmd.addAll(List.of("-o", "size=" + sizeBytes));
        }
        cmd.addAll(List.of("tmpfs", target.toString()));
        run(cmd);
    }

    @Override
    public void unmount(Path target) {
        run(List.of("umount", target.toString()));
    }

    @Override
    public List<Path> mountPointsUnder(Path dir) {
        Path base = dir.toAbsolutePath().normalize();
        try {
            // mountinfo names real paths.
            base = base.toRealPath();
        } catch (IOException missing) {
            // not there: nothing can be mounted on it
        }
        List<Path> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    Path point = Path.of(unescape(fields[4]));
                    if (point.startsWith(base)) {
                        out.add(point);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return out;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int code = p.waitFor();
            if (code != 0) {
                throw new VolumeError(String.join(" ", cmd) + " failed (exit " + code + "): " + output);
            }
        } catch (IOException e) {
            throw new VolumeError(String.join(" ", cmd) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeError(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
