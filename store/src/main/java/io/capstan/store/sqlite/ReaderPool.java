package io.capstan.store.sqlite;

import io.capstan.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Read connections of their own, so reads run beside the writer (WAL lets them) and never wait for it. */
final class ReaderPool implements AutoCloseable {

    /** A read on one connection. */
    interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    ReaderPool(Path file, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(Schema.openReader(file));
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    <T> T read(Read<T> read) {
        Connection c = take();
        try {
            return read.run(c);
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            idle.add(c);
            // close() may have drained the pool just before the add: then this connection is ours to close.
            if (closed && idle.remove(c)) {
                Schema.closeQuietly(c);
            }
        }
    }

    private Connection take() {
        try {
            while (true) {
                if (closed) {
                    throw new StoreException("store is closed");
                }
                // Polling, not take(): a reader waiting here when the pool closes must notice.
                Connection c = idle.poll(100, TimeUnit.MILLISECONDS);
                if (c != null) {
                    return c;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection");
        }
    }

    /** Closes the idle connections now; the ones in use close when their read ends. */
    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            Schema.closeQuietly(c);
        }
    }
}
