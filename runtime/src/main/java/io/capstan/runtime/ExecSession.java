package io.capstan.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/** A command running inside a container: its stdio, terminal size and exit code. Closing kills it if still running. */
public interface ExecSession extends AutoCloseable {

    /** Bytes for the command's stdin; closing it sends end-of-file. */
    OutputStream stdin();

    InputStream stdout();

    /** Empty when the session has a tty (everything arrives on stdout). */
    InputStream stderr();

    /** Sets the terminal size; ignored without a tty. */
    void resize(int columns, int rows);

    /** Waits for the command to end and returns its exit code. */
    int waitFor() throws InterruptedException;

    @Override
    void close();
}
