package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.capstan.runtime.image.ImageException.Kind;
import io.capstan.runtime.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry written here (the JDK's HttpServer) for what docker-registry cannot show: the Bearer token flow
 * with basic credentials, an index with several platforms, blob redirects to another host, and a blob whose
 * bytes do not match its digest.
 */
class TokenAuthPullTest {

    @TempDir
    Path root;
    @TempDir
    Path work;

    HttpServer server;
    int port;
    String indexDigest;
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    volatile String tamperedDigest;

    @BeforeEach
    void start() throws IOException {
        Path layout = TestImages.busybox(work.resolve("layout"));
        for (Path f : Files.list(layout.resolve("blobs/sha256")).toList()) {
            blobs.put("sha256:" + f.getFileName(), Files.readAllBytes(f));
        }
        JsonNode top = Oci.JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode amd64 = ((ObjectNode) top.path("manifests").get(0)).deepCopy();
        amd64.remove("annotations");
        amd64.putObject("platform").put("os", "linux").put("architecture", "amd64");
        ObjectNode arm64 = Oci.JSON.createObjectNode().put("mediaType", Oci.OCI_MANIFEST).put("digest", "sha256:" + "0".repeat(64)).put("size", 1);
        arm64.putObject("platform").put("os", "linux").put("architecture", "arm64");
        ObjectNode index = Oci.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Oci.OCI_INDEX);
        index.putArray("manifests").add(arm64).add(amd64);
        byte[] indexBytes = Oci.JSON.writeValueAsBytes(index);
        indexDigest = Digests.sha256(indexBytes);
        blobs.put(indexDigest, indexBytes);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.createContext("/storage/", this::storage);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void token(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        tokenAuthorizations.add(String.valueOf(auth) + " " + x.getRequestURI().getQuery());
        String good = "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8));
        if (!good.equals(auth)) {
            send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(x, 200, "application/json", "{\"token\":\"tok\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void registry(HttpExchange x) throws IOException {
        if (!"Bearer tok".equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + port
                    + "/token\",service=\"fake\",scope=\"repository:team/app:pull\"");
            send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = x.getRequestURI().getPath();
        if (path.equals("/v2/team/app/manifests/1") || path.equals("/v2/team/app/manifests/" + indexDigest)) {
            send(x, 200, Oci.OCI_INDEX, blobs.get(indexDigest));
        } else if (path.startsWith("/v2/team/app/manifests/sha256:") && blobs.containsKey(path.substring(23))) {
            send(x, 200, Oci.OCI_MANIFEST, blobs.get(path.substring(23)));
        } else if (path.startsWith("/v2/team/app/blobs/")) {
            // Blobs live elsewhere, as on S3: the registry's token must not follow the redirect there.
            x.getResponseHeaders().add("Location", "http://localhost:" + port + "/storage/" + path.substring(19));
            send(x, 307, "text/plain", new byte[0]);
        } else {
            send(x, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void storage(HttpExchange x) throws IOException {
        storageAuthorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
        String digest = x.getRequestURI().getPath().substring(9);
        byte[] body = blobs.get(digest);
        if (body == null) {
            send(x, 404, "text/plain", new byte[0]);
        } else if (digest.equals(tamperedDigest)) {
            byte[] bad = body.clone();
            bad[bad.length / 2] ^= 1;
            send(x, 200, "application/octet-stream", bad);
        } else {
            send(x, 200, "application/octet-stream", body);
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private String ref() {
        return "127.0.0.1:" + port + "/team/app:1";
    }

    @Test
    void tokenFlowWithBasicCredentialsPullsTheLinuxAmd64ImageOfAnIndex() {
        Image image = new LocalImageStore(LocalImageStore.Options.of(root)).pull(ref(), new RegistryCredentials("alice", "pw"), PullListener.NONE);
        assertThat(image.references()).containsExactly(ref());
        assertThat(image.repoDigests()).containsExactly("127.0.0.1:" + port + "/team/app@" + indexDigest);
        assertThat(image.config().cmd()).containsExactly("sh");
        assertThat(tokenAuthorizations).first().asString().startsWith("Basic ").contains("service=fake").contains("scope=repository:team/app:pull");
        assertThat(storageAuthorizations).isNotEmpty().allMatch("null"::equals);
    }

    @Test
    void tokenServiceRefusingTheCredentialsIsUnauthorized() {
        assertThatThrownBy(() -> new LocalImageStore(LocalImageStore.Options.of(root)).pull(ref(), new RegistryCredentials("alice", "nope"), PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("wrong user name or password");
    }

    @Test
    void blobNotMatchingItsDigestFailsThePullAndLeavesNothing() throws IOException {
        JsonNode manifest = Oci.JSON.readTree(blobs.get(Oci.indexManifests(Oci.JSON.readTree(blobs.get(indexDigest))).get(1).digest()));
        tamperedDigest = manifest.path("layers").get(0).path("digest").asText();
        assertThatThrownBy(() -> new LocalImageStore(LocalImageStore.Options.of(root)).pull(ref(), new RegistryCredentials("alice", "pw"), PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("failed verification");
        assertThat(root.resolve("blobs/sha256").resolve(Digests.hex(tamperedDigest))).doesNotExist();
        try (var tmp = Files.list(root.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
        assertThat(new LocalImageStore(LocalImageStore.Options.of(root)).list()).isEmpty();
    }
}
