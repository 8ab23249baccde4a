package io.capstan.runtime.oci;

import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.RuntimeFailure;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command run by {@code runc exec} in a running container. Without a tty its stdio are plain pipes. With a tty,
 * runc must itself sit on a terminal (it hands the container's pty master over a unix socket with SCM_RIGHTS,
 * which Java cannot receive), so it runs under util-linux {@code script}, which gives it one. That middle
 * terminal is put in raw mode before runc starts, and a marker byte tells us when, so nothing we send is echoed
 * twice; a resize sets the middle terminal's size with {@code stty}, and runc passes the SIGWINCH on.
 */
final class RuncExecSession implements ExecSession {

    /** Written once the middle terminal is raw; the first byte of output in tty mode. */
    private static final int READY = 1;

    private final Process process;
    private final boolean tty;
    private final InputStream stdout;

    private RuncExecSession(Process process, boolean tty, InputStream stdout) {
        this.process = process;
        this.tty = tty;
        this.stdout = stdout;
    }

    static RuncExecSession start(Runc runc, String containerId, ExecSpec spec) {
        List<String> runcArgv = runc.execCommand(containerId, spec.tty(), spec.command());
        List<String> argv = spec.tty()
                ? List.of("script", "-q", "-e", "-c", "stty raw -echo cols 80 rows 24 && printf '\\001' && exec " + quote(runcArgv), "/dev/null")
                : runcArgv;
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(spec.tty());
        if (!spec.stdin()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot exec in container " + containerId + ": " + e.getMessage(), e);
        }
        InputStream stdout = process.getInputStream();
        if (spec.tty()) {
            try {
                int first = stdout.read();
                if (first != READY) {
                    process.destroyForcibly();
                    throw new RuntimeFailure("cannot exec in container " + containerId + ": no terminal"
                            + (first < 0 ? "" : " (got " + (char) first + new String(stdout.readNBytes(200)) + ")"));
                }
            } catch (IOException e) {
                process.destroyForcibly();
                throw new RuntimeFailure("cannot exec in container " + containerId + ": " + e.getMessage(), e);
            }
        }
        return new RuncExecSession(process, spec.tty(), stdout);
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return tty ? InputStream.nullInputStream() : process.getErrorStream();
    }

    @Override
    public void resize(int columns, int rows) {
        if (!tty || columns <= 0 || rows <= 0) {
            return;
        }
        // runc's stdin is the middle terminal's slave side; setting its size signals runc, which resizes the container's pty.
        middleTerminal().ifPresent(pts -> Commands.run(List.of("stty", "-F", pts.toString(), "cols", Integer.toString(columns),
                "rows", Integer.toString(rows))));
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        // runc passes SIGTERM on to the command; what does not end then is killed.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Path> middleTerminal() {
        List<ProcessHandle> candidates = new ArrayList<>(process.descendants().toList());
        for (ProcessHandle handle : candidates) {
            try {
                Path fd0 = Files.readSymbolicLink(Path.of("/proc", Long.toString(handle.pid()), "fd", "0"));
                if (fd0.toString().startsWith("/dev/pts/")) {
                    return Optional.of(fd0);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // The process ended or is not ours to read; try the next.
            }
        }
        return Optional.empty();
    }

    /** Quotes each word for /bin/sh. */
    static String quote(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }
}
