package io.capstan.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The grpc probe against a minimal HTTP/2 server that answers one Health/Check the way grpc-go frames it. */
class GrpcCheckTest {

    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one call answering {@code status} (null: end the call without a message); returns what the client sent. */
    private CompletableFuture<String> serve(Integer status) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] preface = new byte[24];
                in.readFully(preface);
                StringBuilder seen = new StringBuilder(new String(preface, StandardCharsets.ISO_8859_1).trim().replace("\r\n\r\n", " "));
                while (true) {
                    int len = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                    int type = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    in.readInt();
                    byte[] payload = new byte[len];
                    in.readFully(payload);
                    if (type == 1) {
                        seen.append(" headers=").append(new String(payload, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x1f]", "|"));
                    }
                    if (type == 0) {
                        seen.append(" message=").append(new String(payload, 5, payload.length - 5, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x1f]", "|"));
                    }
                    if ((flags & 1) != 0 && type == 0) {
                        break;
                    }
                }
                OutputStream out = s.getOutputStream();
                frame(out, 4, 0, 0, new byte[0]);
                frame(out, 1, 4, 1, new byte[] {(byte) 0x88});
                if (status != null) {
                    frame(out, 0, 0, 1, new byte[] {0, 0, 0, 0, 2, 0x08, (byte) (int) status});
                }
                frame(out, 1, 5, 1, new byte[] {0x40, 0x0b, 'g', 'r', 'p', 'c', '-', 's', 't', 'a', 't', 'u', 's', 0x02, '1', '2'});
                out.flush();
                return seen.toString();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(payload.length >>> 16);
        b.write(payload.length >>> 8);
        b.write(payload.length);
        b.write(type);
        b.write(flags);
        b.write(new byte[] {0, 0, 0, (byte) stream});
        b.write(payload);
        out.write(b.toByteArray());
    }

    @Test
    void servingIsHealthyAndTheRequestIsAHealthCheckForTheService() throws Exception {
        var sent = serve(1);
        Outcome outcome = GrpcCheck.check("127.0.0.1", server.getLocalPort(), "db", "kube-probe/1.32", Duration.ofSeconds(10));
        assertThat(outcome).isEqualTo(Outcome.success("service healthy"));
        assertThat(sent.get()).startsWith("PRI * HTTP/2.0 SM")
                .contains(":path|/grpc.health.v1.Health/Check").contains("content-type|application/grpc").contains("te|trailers")
                .contains(":authority|127.0.0.1:" + server.getLocalPort())
                .endsWith("message=||db");
    }

    @Test
    void notServingIsUnhealthyWithTheStatusName() throws Exception {
        serve(2);
        assertThat(GrpcCheck.check("127.0.0.1", server.getLocalPort(), "", "kube-probe/1.32", Duration.ofSeconds(10)))
                .isEqualTo(Outcome.failure("service unhealthy (responded with \"NOT_SERVING\")"));
    }

    @Test
    void aCallEndedWithoutAMessageFails() throws Exception {
        serve(null);
        Outcome outcome = GrpcCheck.check("127.0.0.1", server.getLocalPort(), "", "kube-probe/1.32", Duration.ofSeconds(10));
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILURE);
        assertThat(outcome.output()).startsWith("error: health rpc probe failed");
    }

    @Test
    void nothingListeningIsAConnectionError() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(GrpcCheck.check("127.0.0.1", closed, "", "kube-probe/1.32", Duration.ofSeconds(10)).output())
                .contains("dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    }
}
