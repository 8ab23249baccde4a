package io.capstan.cli;

import io.capstan.apiserver.tls.ClusterCertificates;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `capstan agent`: joins this machine to a cluster as a node, with the join token the server wrote to DATA/node-token. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Join this machine to a Capstan cluster as a node.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, description = "The API server, e.g. https://10.0.0.1:6443.")
    URI server;

    @Option(names = "--token", required = true, description = "The join token (the server's DATA/node-token).")
    String token;

    @Option(names = "--data-dir", description = "State directory (default: /var/lib/capstan as root, else ~/.local/share/capstan).")
    Path dataDir;

    @Mixin
    AgentOptions agentOptions = new AgentOptions();

    @Override
    public Integer call() throws Exception {
        Path data = DataDir.resolve(dataDir);
        Files.createDirectories(data);
        JoinToken join = JoinToken.parse(token);
        String caPem = join.fetchCa(server);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cluster-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(caPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        // The API server does not verify agents' serving certificates (as kube-apiserver without
        // --kubelet-certificate-authority), so this node's own CA signs its serving certificate.
        String nodeName = agentOptions.nodeName();
        ClusterCertificates local = ClusterCertificates.loadOrCreate(data.resolve("agent").resolve("tls"), List.of());
        char[] password = Long.toHexString(new java.security.SecureRandom().nextLong()).toCharArray();
        KeyStore serving = local.servingKeyStore(nodeName, List.of(nodeName, "localhost", "127.0.0.1",
                io.capstan.agent.node.MachineInfo.read(data).internalIp()), Duration.ofDays(365), password);
        ApiClient api = ApiClient.create(new ClientConfig(server, join.toString(), caPem), "capstan-agent/" + nodeName);
        NodeAgentLauncher agent = NodeAgentLauncher.start(api, data, agentOptions, serving, password, trust);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            agent.close();
            stopped.countDown();
        }));
        System.out.println("Capstan agent " + nodeName + " joined " + server);
        stopped.await();
        return 0;
    }
}
