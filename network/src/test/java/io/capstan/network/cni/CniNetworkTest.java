package io.capstan.network.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real CNI plugins against a network namespace and bridge the test makes (and removes). */
class CniNetworkTest {

    @TempDir
    Path dir;

    private final int n = ThreadLocalRandom.current().nextInt(100, 250);
    private final String netns = "capstan-cni-" + n;
    private final String bridge = "cpt" + n;
    private final String subnet = "10.199." + n + ".0/24";
    private CniNetwork network;
    private Process listener;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        CniPlugins plugins = CniPlugins.find().orElse(null);
        assumeTrue(plugins != null, "needs the CNI plugins (containernetworking-plugins)");
        run("ip", "netns", "add", netns);
        network = new CniNetwork(plugins, new CniNetworkConfig("capstan-test", bridge, subnet, dir.resolve("ipam")));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.destroyForcibly();
        }
        if (network != null) {
            try {
                network.delete("sb1", "/run/netns/" + netns, "default", "p", List.of());
            } catch (CniException e) {
                // already gone
            }
        }
        run("ip", "netns", "del", netns);
        run("ip", "link", "del", bridge);
    }

    @Test
    void aSandboxGetsAnAddressFromThePodCidrThatTheHostReaches() throws Exception {
        String ip = network.add("sb1", "/run/netns/" + netns, "default", "p", List.of());
        assertThat(ip).startsWith("10.199." + n + ".");
        listener = new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "nc", "-l", "-p", "8080", "-e", "echo", "hello")
                .redirectErrorStream(true).start();
        String answer = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> greeting(ip), "hello"::equals);
        assertThat(answer).isEqualTo("hello");
    }

    @Test
    void deleteReleasesTheAddressForTheNextSandbox() {
        String first = network.add("sb1", "/run/netns/" + netns, "default", "p", List.of());
        network.delete("sb1", "/run/netns/" + netns, "default", "p", List.of());
        assertThat(Files.exists(dir.resolve("ipam/capstan-test/" + first))).isFalse();
    }

    @Test
    void aMissingNamespaceIsAPluginErrorWithItsMessage() {
        assertThatThrownBy(() -> network.add("sb2", "/run/netns/no-such-" + n, "default", "p", List.of()))
                .isInstanceOf(CniException.class).hasMessageContaining("plugin type=\"bridge\" failed (add)");
    }

    private static String greeting(String ip) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, 8080), 500);
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
    }

    private static void run(String... command) throws Exception {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }
}
