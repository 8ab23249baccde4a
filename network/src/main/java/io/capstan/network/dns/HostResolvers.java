package io.capstan.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream resolvers names outside the cluster go to: the host's nameservers from resolv.conf, less those that
 * would send a query back to this server (its own address and port, or a loopback address when it listens on
 * loopback or on every address) - the loop CoreDNS's loop plugin guards against.
 */
public final class HostResolvers {

    static final int DNS_PORT = 53;

    private HostResolvers() {}

    /**
     * The host's resolv.conf: /etc/resolv.conf, or systemd-resolved's upstream file when /etc/resolv.conf names only
     * its local stub (127.0.0.53), so queries need not pass through a second cache.
     */
    public static Path hostFile() {
        Path etc = Path.of("/etc/resolv.conf");
        Path upstream = Path.of("/run/systemd/resolve/resolv.conf");
        try {
            if (Files.isReadable(upstream) && Files.readString(etc).contains("nameserver 127.0.0.53")) {
                return upstream;
            }
        } catch (IOException e) {
            return etc;
        }
        return etc;
    }

    /** The host's usable upstreams for a server listening at self; empty when there is none (or no file). */
    public static List<InetSocketAddress> read(InetSocketAddress self) {
        try {
            return parse(Files.readString(hostFile()), self);
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<InetSocketAddress> parse(String resolvConf, InetSocketAddress self) {
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || !fields[0].equals("nameserver")) {
                continue;
            }
            InetAddress address = ClusterRecords.address(fields[1]);
            if (address != null && !loops(address, self)) {
                upstreams.add(new InetSocketAddress(address, DNS_PORT));
            }
        }
        return upstreams;
    }

    private static boolean loops(InetAddress upstream, InetSocketAddress self) {
        if (self.getPort() != DNS_PORT) {
            return false;
        }
        InetAddress own = self.getAddress();
        return upstream.equals(own) || (upstream.isLoopbackAddress() && (own.isLoopbackAddress() || own.isAnyLocalAddress()));
    }
}
