package io.capstan.agent.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One forwarded connection to a pod's port: a socket, or a helper process inside the pod's network namespace. */
public interface PodConnection extends AutoCloseable {

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** The client has finished sending: the pod reads the end of its input. */
    void shutdownOutput() throws IOException;

    /**
     * Why the connection failed, once its input has ended: null when it worked. A helper process learns only
     * then that it could not connect.
     */
    default String failure() {
        return null;
    }

    @Override
    void close();

    static PodConnection of(Socket socket) {
        return new PodConnection() {
            @Override
            public InputStream input() throws IOException {
                return socket.getInputStream();
            }

            @Override
            public OutputStream output() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closed already
                }
            }
        };
    }
}
