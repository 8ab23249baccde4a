package io.capstan.cli;

import io.capstan.api.ResourceRegistry;
import io.capstan.apiserver.ApiServer;
import io.capstan.apiserver.admission.imagepolicy.ImagePolicy;
import io.capstan.apiserver.admission.podsecurity.PodSecurityConfig;
import io.capstan.apiserver.audit.AuditLogFile;
import io.capstan.apiserver.audit.AuditPolicy;
import io.capstan.apiserver.audit.Auditor;
import io.capstan.apiserver.auth.ChainAuthenticator;
import io.capstan.apiserver.auth.ClientCertAuthenticator;
import io.capstan.apiserver.auth.TokenAuthenticator;
import io.capstan.apiserver.auth.TokenFile;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.registry.service.KubernetesService;
import io.capstan.apiserver.registry.service.ServiceAllocator;
import io.capstan.apiserver.tls.ClusterCertificates;
import io.capstan.apiserver.tls.ServiceAccountKey;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import io.capstan.agent.simulated.SimulatedNodeConfig;
import io.capstan.store.Compactor;
import io.capstan.store.Store;
import io.capstan.store.encryption.SecretsEncryption;
import io.capstan.store.sqlite.SqliteStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `capstan server`: a whole single-node control plane on an embedded SQLite store, started as an ordered list of steps. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Start a Capstan control plane.")
final class ServerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @Option(names = "--data-dir", description = "State directory (default: /var/lib/capstan as root, else ~/.local/share/capstan).")
    Path dataDir;

    @Option(names = "--https-port", defaultValue = "6443", description = "HTTPS port of the API (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--write-kubeconfig", description = "Where to write the admin kubeconfig (default: DATA/kubeconfig.yaml).")
    Path kubeconfig;

    @Option(names = "--token-auth-file", description = "Static bearer tokens, as kube-apiserver's flag: CSV lines token,user,uid,\"group1,group2\".")
    Path tokenAuthFile;

    @Option(names = "--tls-san", description = "Extra subject alternative name for the serving certificate (repeatable).")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--compaction-interval", defaultValue = "PT5M", description = "How often old revisions are compacted (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration compactionInterval;

    @Option(names = "--compaction-keep", defaultValue = "10000", description = "Revisions kept by compaction (default: ${DEFAULT-VALUE}).")
    long compactionKeep;

    @Option(names = "--watch-bookmark-interval", defaultValue = "PT1M", description = "How often watches that allow bookmarks get one (default: ${DEFAULT-VALUE}).")
    Duration bookmarkInterval;

    @Option(names = "--disable-controller-manager", description = "Run no controllers (the API and scheduler only), as k3s's flag of that name.")
    boolean disableControllerManager;

    @Option(names = "--disable-scheduler", description = "Run no scheduler, as k3s's flag of that name.")
    boolean disableScheduler;

    @Option(names = "--simulated-nodes", defaultValue = "0", description = "Register N simulated nodes sim-0 … sim-N-1 that run pods without containers (default: ${DEFAULT-VALUE}).")
    int simulatedNodes;

    @Option(names = "--simulated-node-cpu", defaultValue = "8", description = "CPU capacity of each simulated node (default: ${DEFAULT-VALUE}).")
    String simulatedNodeCpu;

    @Option(names = "--simulated-node-memory", defaultValue = "32Gi", description = "Memory capacity of each simulated node (default: ${DEFAULT-VALUE}).")
    String simulatedNodeMemory;

    @Option(names = "--simulated-node-pods", defaultValue = "110", description = "Pod capacity of each simulated node (default: ${DEFAULT-VALUE}).")
    String simulatedNodePods;

    @Option(names = "--disable-agent", description = "Run no node agent in this process (a control plane only), as k3s's --disable-agent.")
    boolean disableAgent;

    @picocli.CommandLine.Mixin
    AgentOptions agentOptions = new AgentOptions();

    @picocli.CommandLine.Mixin
    ClusterDnsOptions clusterDnsOptions = new ClusterDnsOptions();

    @Option(names = "--default-unreachable-toleration", defaultValue = "300s", converter = GoDuration.class,
            description = "How long new pods tolerate an unreachable or not-ready node before eviction (default: ${DEFAULT-VALUE}).")
    Duration defaultUnreachableToleration;

    @Option(names = "--default-local-storage-path", description = "Directory on each node under which the local-path StorageClass "
            + "provisions volumes, as k3s's flag of that name (default: DATA/storage).")
    Path localStoragePath;

    @Option(names = "--audit-log-path", description = "Write an audit.k8s.io/v1 Event per request to this JSON-lines file (\"-\": standard output); "
            + "needs --audit-policy-file, as kube-apiserver.")
    Path auditLogPath;

    @Option(names = "--audit-policy-file", description = "The audit policy (audit.k8s.io/v1 Policy): the level of each request.")
    Path auditPolicyFile;

    @Option(names = "--audit-log-maxsize", defaultValue = "100", description = "Megabytes the audit log grows to before it is rotated (0: never; default: ${DEFAULT-VALUE}).")
    long auditLogMaxSize;

    @Option(names = "--pod-security-admission-config-file", description = "PodSecurity defaults and exemptions: a "
            + "PodSecurityConfiguration, or an AdmissionConfiguration with a PodSecurity plugin (default: privileged everywhere).")
    Path podSecurityConfigFile;

    @Option(names = "--image-policy-file", description = "Allowed image registries and digest pinning for pods "
            + "(docs/image-policy.md; default: no image policy).")
    Path imagePolicyFile;

    @Option(names = "--audit-log-maxbackup", defaultValue = "0", description = "Rotated audit logs kept (0: all; default: ${DEFAULT-VALUE}).")
    int auditLogMaxBackup;

    @Option(names = "--service-cidr", defaultValue = "10.43.0.0/16", description = "IPv4 range Services' cluster IPs come from (default: ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--service-node-port-range", defaultValue = "30000-32767", description = "Ports NodePort Services get (default: ${DEFAULT-VALUE}).")
    String serviceNodePortRange;

    @Option(names = "--advertise-address", description = "The address the `kubernetes` Service's endpoints point at (default: this node's internal IP).")
    String advertiseAddress;

    /** Held while the server runs: rotation must not rewrite secrets under it. */
    private java.nio.channels.FileLock keysLock;

    /** The auditor the flags ask for, or null: as kube-apiserver, auditing needs both a log path and a policy. */
    private Auditor auditor() throws java.io.IOException {
        if (auditLogPath == null || auditPolicyFile == null) {
            if (auditLogPath != null || auditPolicyFile != null) {
                LOG.warn("auditing is off: it needs both --audit-log-path and --audit-policy-file");
            }
            return null;
        }
        return new Auditor(AuditPolicy.read(auditPolicyFile),
                new AuditLogFile(auditLogPath, auditLogMaxSize * 1024 * 1024, auditLogMaxBackup, java.time.Clock.systemUTC()),
                java.time.Clock.systemUTC());
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path data = DataDir.resolve(dataDir);
        Files.createDirectories(data);
        restrictDir(data);

        // Certificates and the store do not depend on each other: load them side by side, it shortens the start.
        var certsLoading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return ClusterCertificates.loadOrCreate(data.resolve("tls"), tlsSans);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        String adminToken = SecretFiles.loadOrCreateToken(data.resolve("admin-token"));
        keysLock = SecretsEncryptCommand.lockKeys(data);
        if (keysLock == null) {
            throw new IllegalStateException("another server or `capstan secrets-encrypt rotate` is using " + data);
        }
        // Secrets are encrypted at rest; every component above the store sees them in the clear.
        Store store = SecretsEncryption.wrap(SqliteStore.open(data.resolve("state.db")), SecretsEncryptCommand.configFile(data));
        ResourceRegistry types = ResourceRegistry.withBuiltins();
        ClusterCertificates certs;
        try {
            certs = certsLoading.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }

        char[] password = randomPassword();
        ApiServer api = new ApiServer(new ApiServer.Config(bind, httpsPort, certs.serverKeyStore(password), password,
                certs.trustStore(), bookmarkInterval, kubeletClient(certs, password),
                ServiceAccountKey.loadOrCreate(data.resolve("tls"))), store, types,
                new ChainAuthenticator(List.of(new TokenAuthenticator(tokens(adminToken, nodeToken(data, certs))), new ClientCertAuthenticator())));
        Auditor auditor = auditor();
        if (auditor != null) {
            api.audit(auditor);
        }
        api.admission(podSecurityConfigFile == null ? PodSecurityConfig.DEFAULT : PodSecurityConfig.read(podSecurityConfigFile),
                imagePolicyFile == null ? null : ImagePolicy.read(imagePolicyFile));
        api.registry().defaultTolerationSeconds(defaultUnreachableToleration.toSeconds(), defaultUnreachableToleration.toSeconds());
        api.registry().serviceAllocator(new ServiceAllocator(serviceCidr, serviceNodePortRange));
        new Bootstrap(api.registry(), types).run();
        api.start();
        KubernetesService kubernetesService = new KubernetesService(api.registry(), advertiseAddress(data), api.port());
        kubernetesService.start();
        Compactor compactor = new Compactor(store, compactionInterval, compactionKeep);
        compactor.start();
        Path kubeconfigFile = kubeconfig != null ? kubeconfig : data.resolve("kubeconfig.yaml");
        Kubeconfig.write(kubeconfigFile, Kubeconfig.render("https://" + clientHost() + ":" + api.port(), certs.caPem(), adminToken));
        LOG.info("Capstan API ready at https://{}:{} in {} ms", clientHost(), api.port(), (System.nanoTime() - started) / 1_000_000);

        // Controllers, scheduler and simulated nodes reach the API over loopback HTTPS, as a remote component does.
        ControlPlane controlPlane = ControlPlane.start(ApiClient.create(
                new ClientConfig(URI.create("https://" + clientHost() + ":" + api.port()), adminToken, certs.caPem()),
                "capstan-control-plane"), new SimulatedNodeConfig(simulatedNodes, simulatedNodeCpu, simulatedNodeMemory, simulatedNodePods),
                !disableControllerManager, !disableScheduler,
                (localStoragePath != null ? localStoragePath : data.resolve("storage")).toAbsolutePath().toString(), certs.caPem(), agentOptions.clusterCidr);

        io.capstan.network.dns.ClusterDns dns = clusterDnsOptions.start(ApiClient.create(new ClientConfig(URI.create("https://"
                + clientHost() + ":" + api.port()), adminToken, certs.caPem()), "capstan-dns"), agentOptions, io.capstan.agent.node.MachineInfo.read(data).internalIp());

        // The server's own node, as k3s runs its agent in the server process; it reaches the API like a remote agent.
        NodeAgentLauncher agent = disableAgent ? null : NodeAgentLauncher.start(
                ApiClient.create(new ClientConfig(URI.create("https://" + clientHost() + ":" + api.port()), adminToken, certs.caPem()),
                        "capstan-agent"),
                data, agentOptions, certs.servingKeyStore(agentOptions.nodeName(), List.of(agentOptions.nodeName(), "localhost",
                        "127.0.0.1", io.capstan.agent.node.MachineInfo.read(data).internalIp()), Duration.ofDays(365), password),
                password, certs.trustStore());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            LOG.info("shutting down");
            if (agent != null) {
                agent.close();
            }
            if (dns != null) {
                dns.close();
            }
            controlPlane.close();
            kubernetesService.close();
            api.close();
            compactor.close();
            store.close();
            stopped.countDown();
        }));
        System.out.println("Capstan is running. Use it with:\n  export KUBECONFIG=" + kubeconfigFile
                + "\n  kubectl get namespaces\nor: bin/capstan kubectl get namespaces");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Who an agent that joined with the node token is: one of the system:nodes group, as the kubelets. */
    static final UserInfo NODE = new UserInfo("system:capstan-node", List.of("system:nodes", "system:authenticated"));

    /** The join token for `capstan agent`, in DATA/node-token (0600); its secret survives restarts. */
    private static JoinToken nodeToken(Path data, ClusterCertificates certs) throws java.io.IOException {
        Path file = data.resolve("node-token");
        String secret = Files.exists(file) ? JoinToken.parse(Files.readString(file)).secret()
                : SecretFiles.loadOrCreateToken(data.resolve("node-token.secret"));
        JoinToken token = JoinToken.of(certs.caCertificate(), secret);
        Path tmp = Files.createTempFile(data, ".node-token", ".tmp");
        SecretFiles.restrict(tmp);
        Files.writeString(tmp, token + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(data.resolve("node-token.secret"));
        return token;
    }

    /** The admin token and those of --token-auth-file (which may not take the admin's). */
    private Map<String, UserInfo> tokens(String adminToken, JoinToken nodeToken) throws java.io.IOException {
        Map<String, UserInfo> tokens = new java.util.HashMap<>();
        if (tokenAuthFile != null) {
            tokens.putAll(TokenFile.read(tokenAuthFile));
        }
        tokens.put(adminToken, UserInfo.ADMIN);
        tokens.put(nodeToken.toString(), NODE);
        return tokens;
    }

    /** Where the `kubernetes` Service sends traffic: the flag, else the bind address, else this machine's internal IP. */
    private String advertiseAddress(Path data) {
        if (advertiseAddress != null && !advertiseAddress.isEmpty()) {
            return advertiseAddress;
        }
        boolean anyAddress = bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty();
        return anyAddress ? io.capstan.agent.node.MachineInfo.read(data).internalIp() : bind;
    }

    private String clientHost() {
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty()) {
            return "127.0.0.1";
        }
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static void restrictDir(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (Exception e) {
            LOG.warn("could not restrict {} to its owner: {}", dir, e.getMessage());
        }
    }

    /** The certificate agents accept from the API server, issued afresh at each start (as k3s's kube-apiserver-kubelet-client). */
    private static java.security.KeyStore kubeletClient(ClusterCertificates certs, char[] password) throws Exception {
        return certs.clientKeyStore("kube-apiserver-kubelet-client", List.of("system:masters"), Duration.ofDays(365), password);
    }

    /** The serving key store lives only in memory, so its password need only be unguessable. */
    private static char[] randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toCharArray();
    }
}
