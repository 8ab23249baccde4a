package io.capstan.agent.server;

import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** An exec session that runs the command as a local process (no container, no tty): what the fakes' exec does. */
public final class LocalExecSession implements ExecSession {

    private final Process process;

    public LocalExecSession(ExecSpec spec) {
        try {
            ProcessBuilder builder = new ProcessBuilder(spec.command());
            if (!spec.stdin()) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            if (spec.tty()) {
                builder.redirectErrorStream(true);
            }
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public void resize(int columns, int rows) {
        // no terminal
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
