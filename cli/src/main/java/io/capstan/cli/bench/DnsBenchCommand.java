package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan bench-dns`: the cluster DNS's queries per second and latency. Starts a server (no agent) with its DNS on
 * loopback, creates ClusterIP services, then has a number of clients ask for their A records, each waiting for its
 * answer before the next question, over UDP and then over TCP (one connection per client).
 */
@Command(name = "bench-dns", mixinStandardHelpOptions = true,
        description = "Measure the cluster DNS server: queries/s and latency (p50/p99) over UDP and TCP (starts its own server).")
public final class DnsBenchCommand implements Callable<Integer> {

    @Option(names = "--services", defaultValue = "1000", description = "ClusterIP services created and asked for (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--queries", defaultValue = "100000", description = "Queries per transport, over all clients (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--clients", defaultValue = "8", description = "Clients asking at once, each one question at a time (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--server-command", split = " ",
            description = "How to start a server (default: this java and jar); `server --data-dir ... --https-port ...` is appended.")
    List<String> serverCommand;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "Longest wait for the server and the records (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        System.out.println(Environment.describe());
        Path work = Files.createTempDirectory("capstan-bench-dns");
        LocalServer server = null;
        try {
            server = LocalServer.start(serverCommand == null || serverCommand.isEmpty() ? LocalServer.thisJar() : serverCommand,
                    work.resolve("data"), "--disable-agent", "--cluster-dns-address", "127.0.0.1", "--cluster-dns-port", "0");
            server.awaitReady(timeout);
            ApiClient api = ApiClient.create(ClientConfig.fromKubeconfig(server.kubeconfig()), "capstan-bench");
            for (int i = 0; i < services; i++) {
                api.create(Kinds.SERVICES, "default", service(i));
            }
            InetSocketAddress dns = awaitRecords(api);
            System.out.printf("%d ClusterIP services; DNS at %s; %d clients, each one query at a time%n", services, dns, clients);
            run("UDP", dns, false, Math.min(queries, 5000), null);
            run("UDP", dns, false, queries, server);
            run("TCP", dns, true, queries, server);
            System.out.printf("server RSS: %d MiB now, %d MiB peak (VmHWM)%n", server.residentKib() / 1024, server.peakResidentKib() / 1024);
        } finally {
            if (server != null) {
                server.close();
            }
            PodBenchCommand.deleteTree(work);
        }
        System.out.println(Environment.load() + " at the end");
        return 0;
    }

    /** The DNS address from kube-dns's EndpointSlice, once the last service's name answers. */
    private InetSocketAddress awaitRecords(ApiClient api) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] last = query(services - 1, 0);
        while (System.nanoTime() < deadline) {
            var slice = api.find(io.capstan.api.ResourceRegistry.withBuiltins().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow(),
                    "kube-system", "kube-dns-capstan");
            if (slice.isPresent()) {
                InetSocketAddress dns = new InetSocketAddress(InetAddress.ofLiteral(slice.get().at("/endpoints/0/addresses/0").asText()),
                        slice.get().at("/ports/0/port").asInt());
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.setSoTimeout(1000);
                    socket.connect(dns);
                    socket.send(new DatagramPacket(last, last.length));
                    DatagramPacket in = new DatagramPacket(new byte[512], 512);
                    socket.receive(in);
                    Message answer = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                    if (answer.getRcode() == Rcode.NOERROR && !answer.getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) {
                        return dns;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // not serving yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the DNS did not answer for all services within " + timeout);
    }

    /** One phase; report (the server, whose CPU time it takes) null for a warm-up. */
    private void run(String transport, InetSocketAddress dns, boolean tcp, int total, LocalServer report) throws Exception {
        Latencies latencies = new Latencies(total);
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        int each = total / clients;
        long cpu = report == null ? 0 : report.cpuMillis();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    if (tcp) {
                        askTcp(dns, client, each, latencies, failures);
                    } else {
                        askUdp(dns, client, each, latencies, failures);
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (report != null) {
            System.out.printf("%-4s %8d queries %9.0f /s   p50 %6.3f ms   p99 %6.3f ms   server CPU %5.1f us/query   failed %d%n",
                    transport, each * clients, each * clients / seconds, latencies.percentileMillis(50), latencies.percentileMillis(99),
                    (report.cpuMillis() - cpu) * 1000.0 / (each * clients), failures.get());
        }
    }

    private void askUdp(InetSocketAddress dns, int client, int count, Latencies latencies, AtomicLong failures) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            socket.connect(dns);
            DatagramPacket in = new DatagramPacket(new byte[512], 512);
            for (int i = 0; i < count; i++) {
                byte[] q = query((client * 7919 + i) % services, i & 0xFFFF);
                long t0 = System.nanoTime();
                socket.send(new DatagramPacket(q, q.length));
                try {
                    do {
                        socket.receive(in);
                    } while (((in.getData()[0] & 0xFF) << 8 | (in.getData()[1] & 0xFF)) != (i & 0xFFFF));
                    latencies.add(System.nanoTime() - t0);
                } catch (java.net.SocketTimeoutException e) {
                    failures.incrementAndGet();
                }
            }
        }
    }

    private void askTcp(InetSocketAddress dns, int client, int count, Latencies latencies, AtomicLong failures) throws Exception {
        try (Socket socket = new Socket(dns.getAddress(), dns.getPort())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            for (int i = 0; i < count; i++) {
                byte[] q = query((client * 7919 + i) % services, i & 0xFFFF);
                long t0 = System.nanoTime();
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] answer = in.readNBytes(in.readUnsignedShort());
                if (answer.length < 12 || (answer[3] & 0x0F) != Rcode.NOERROR) {
                    failures.incrementAndGet();
                }
                latencies.add(System.nanoTime() - t0);
            }
        }
    }

    private static byte[] query(int service, int id) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("bench-" + service + ".default.svc.cluster.local."), Type.A, DClass.IN));
        m.getHeader().setID(id);
        return m.toWire();
    }

    private static ObjectNode service(int i) {
        ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
        service.putObject("metadata").put("name", "bench-" + i);
        String ip = "10.43." + (100 + i / 250) + "." + (i % 250 + 1);
        ObjectNode spec = service.putObject("spec").put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        spec.putArray("ports").addObject().put("name", "http").put("port", 80).put("protocol", "TCP");
        return service;
    }
}
