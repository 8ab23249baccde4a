package io.capstan.agent.pods;

import io.capstan.agent.probes.ExecRunner;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exec probes through the runtime: the command's stdout and stderr together, cut off after its timeout. */
final class RuntimeExecRunner implements ExecRunner {

    private final ContainerRuntime runtime;

    RuntimeExecRunner(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        try (ExecSession session = runtime.exec(containerId, new ExecSpec(command, false, false))) {
            session.stdin().close();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread out = Thread.ofVirtual().start(() -> copy(session.stdout(), output));
            Thread err = Thread.ofVirtual().start(() -> copy(session.stderr(), output));
            int[] code = {-1};
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    code[0] = session.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (!waiter.join(timeout)) {
                return new ExecResult(-1, text(output), true);
            }
            out.join(TimeUnit.SECONDS.toMillis(1));
            err.join(TimeUnit.SECONDS.toMillis(1));
            return new ExecResult(code[0], text(output), false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted", true);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the session ended
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
