package io.capstan.cli.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * One kept-alive HTTPS/1.1 connection, as each client of a benchmark holds one. Deliberately
 * minimal (Content-Length and chunked bodies): a lighter client than java.net.http leaves the
 * shared cores to the server being measured.
 */
final class HttpConnection implements AutoCloseable {

    /** A whole answer. */
    record Response(int status, byte[] body) {}

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String authority;
    private final String token;

    HttpConnection(SSLSocket socket, String authority, String token) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.authority = authority;
        this.token = token;
    }

    Response send(String method, String path, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(authority)
                .append("\r\n").append(authorization()).append("Accept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        int status = status();
        long length = -1;
        boolean chunked = false;
        for (String line = line(); !line.isEmpty(); line = line()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            return new Response(status, new ChunkedInput().readAllBytes());
        }
        return new Response(status, in.readNBytes((int) Math.max(length, 0)));
    }

    /** Sends a GET whose answer is a stream of chunks (a watch) and returns the decoded body. */
    InputStream stream(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n" + authorization()
                + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int status = status();
        while (!line().isEmpty()) {
            // headers: a watch answer is always chunked
        }
        if (status != 200) {
            throw new IOException("watch answered " + status);
        }
        return new ChunkedInput();
    }

    private String authorization() {
        return token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    }

    private int status() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        return Integer.parseInt(parts[1]);
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The body of a chunked answer; ends at the last (empty) chunk. */
    private final class ChunkedInput extends InputStream {
        private long left;
        private boolean done;
        /** The CRLF ending a chunk is read before the next size: servers (Jetty) send it only with the next chunk. */
        private boolean endOfChunkPending;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                if (endOfChunkPending) {
                    line();
                    endOfChunkPending = false;
                }
                String size = line();
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= n;
            endOfChunkPending = left == 0;
            return n;
        }

        @Override
        public byte[] readAllBytes() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n = read(buffer, 0, buffer.length); n >= 0; n = read(buffer, 0, buffer.length)) {
                all.write(buffer, 0, n);
            }
            return all.toByteArray();
        }
    }
}
