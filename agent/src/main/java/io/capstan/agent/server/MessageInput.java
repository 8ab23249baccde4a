package io.capstan.agent.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The binary messages of a WebSocket read as one byte stream: kubectl tunnels SPDY through WebSocket and frames
 * may span messages. A small bounded queue holds the connection back while the reader is behind.
 */
final class MessageInput extends InputStream {

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final BlockingQueue<ByteBuffer> messages = new LinkedBlockingQueue<>(64);
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    /** Queues a message, waiting while the queue is full. */
    void add(ByteBuffer message) throws InterruptedException {
        if (message.hasRemaining()) {
            messages.put(ByteBuffer.allocate(message.remaining()).put(message).flip());
        }
    }

    /** No more messages will come: reads end once the queued ones are consumed. */
    void end() {
        messages.clear(); // the reader is going away or done; what is left cannot be used
        messages.offer(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (ended) {
                return -1;
            }
            try {
                current = messages.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }
}
