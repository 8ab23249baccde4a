package io.capstan.agent.probes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A grpc probe: grpc.health.v1.Health/Check over HTTP/2 cleartext with prior knowledge, on a tiny hand-written
 * HTTP/2 client (the JDK client cannot speak h2c without an upgrade). It sends the request with literal HPACK
 * headers and reads the response message from DATA frames; response headers are not decoded, so an RPC that
 * fails without a message (e.g. Unimplemented) is reported without its gRPC status code.
 */
final class GrpcCheck {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    private static final String[] STATUS = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private GrpcCheck() {}

    static Outcome check(String host, int port, String service, String userAgent, Duration timeout) {
        String addr = TcpCheck.hostPort(host, port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            frame(out, HEADERS, END_HEADERS, 1, headers(addr, userAgent + " grpc-java-capstan"));
            frame(out, DATA, END_STREAM, 1, message(service == null ? "" : service));
            out.flush();
            Integer status = readResponse(new DataInputStream(socket.getInputStream()), out);
            if (status == null) {
                return Outcome.failure("error: health rpc probe failed: the server ended the call without a health response");
            }
            if (status != 1) {
                String name = status >= 0 && status < STATUS.length ? STATUS[status] : String.valueOf(status);
                return Outcome.failure("service unhealthy (responded with \"" + name + "\")");
            }
            return Outcome.success("service healthy");
        } catch (SocketTimeoutException e) {
            return Outcome.failure("timeout: health rpc did not complete within " + io.capstan.agent.pods.ContainerStates.goDuration(timeout));
        } catch (IOException e) {
            return Outcome.failure("error: health rpc probe failed: rpc error: code = Unavailable desc = connection error: desc = \"transport: "
                    + "Error while dialing: " + TcpCheck.dialError(host, port, e) + "\"");
        }
    }

    /** Reads frames until stream 1 ends; returns the HealthCheckResponse status, or null when no message came. */
    private static Integer readResponse(DataInputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            if (length > 1 << 20) {
                throw new IOException("frame too large");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            switch (type) {
                case SETTINGS -> {
                    if ((flags & ACK) == 0) {
                        frame(out, SETTINGS, ACK, 0, new byte[0]);
                        out.flush();
                    }
                }
                case PING -> {
                    if ((flags & ACK) == 0) {
                        frame(out, PING, ACK, 0, payload);
                        out.flush();
                    }
                }
                case GOAWAY -> throw new EOFException("server sent GOAWAY");
                case RST_STREAM -> {
                    if (stream == 1) {
                        return null;
                    }
                }
                case DATA -> {
                    if (stream == 1) {
                        data.write(payload, padding(flags), payload.length - padding(flags) - padLength(flags, payload));
                    }
                }
                default -> { }
            }
            if (stream == 1 && (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) {
                return status(data.toByteArray());
            }
        }
    }

    private static int padding(int flags) {
        return (flags & 0x8) != 0 ? 1 : 0;
    }

    private static int padLength(int flags, byte[] payload) {
        return (flags & 0x8) != 0 && payload.length > 0 ? payload[0] & 0xff : 0;
    }

    /** The status field (1, varint) of the first gRPC message; 0 (UNKNOWN) when absent. */
    static Integer status(byte[] data) {
        if (data.length < 5) {
            return null;
        }
        int len = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        int pos = 5;
        int end = Math.min(data.length, 5 + len);
        int status = 0;
        while (pos < end) {
            int key = data[pos++] & 0xff;
            int wire = key & 7;
            long value = 0;
            if (wire == 0) {
                int shift = 0;
                while (pos < end) {
                    int b = data[pos++] & 0xff;
                    value |= (long) (b & 0x7f) << shift;
                    shift += 7;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                if (key >> 3 == 1) {
                    status = (int) value;
                }
            } else if (wire == 2) {
                pos += data[pos] + 1;
            } else {
                break;
            }
        }
        return status;
    }

    private static byte[] headers(String authority, String userAgent) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        literal(b, ":method", "POST");
        literal(b, ":scheme", "http");
        literal(b, ":path", "/grpc.health.v1.Health/Check");
        literal(b, ":authority", authority);
        literal(b, "content-type", "application/grpc");
        literal(b, "user-agent", userAgent);
        literal(b, "te", "trailers");
        return b.toByteArray();
    }

    // HPACK "literal header field without indexing, new name", strings without Huffman coding.
    private static void literal(ByteArrayOutputStream b, String name, String value) {
        b.write(0);
        string(b, name);
        string(b, value);
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7f) | 0x80);
                n >>= 7;
            }
            b.write(n);
        }
        b.writeBytes(bytes);
    }

    /** A gRPC length-prefixed HealthCheckRequest{service}. */
    private static byte[] message(String service) {
        ByteArrayOutputStream pb = new ByteArrayOutputStream();
        if (!service.isEmpty()) {
            byte[] s = service.getBytes(StandardCharsets.UTF_8);
            pb.write(0x0a);
            int n = s.length;
            while (n >= 128) {
                pb.write((n & 0x7f) | 0x80);
                n >>= 7;
            }
            pb.write(n);
            pb.writeBytes(s);
        }
        byte[] body = pb.toByteArray();
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.write(0);
        msg.write(body.length >>> 24);
        msg.write(body.length >>> 16);
        msg.write(body.length >>> 8);
        msg.write(body.length);
        msg.writeBytes(body);
        return msg.toByteArray();
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }
}
