package io.capstan.apiserver.registry.service;

/**
 * An IPv4 service CIDR such as 10.43.0.0/16: the addresses ClusterIPs come from.
 *
 * @param network the network address as an unsigned 32-bit number
 * @param prefix the prefix length
 */
public record ServiceCidr(long network, int prefix) {

    public ServiceCidr {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("a service CIDR needs a prefix between /8 and /30, not /" + prefix);
        }
    }

    /** Parses "a.b.c.d/n"; the host bits are cleared, as Go's net.ParseCIDR does. */
    public static ServiceCidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        Long ip = toNumber(cidr.substring(0, slash));
        if (ip == null) {
            throw new IllegalArgumentException("only IPv4 service CIDRs are supported, not " + cidr);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return new ServiceCidr(ip & mask, prefix);
    }

    /** Addresses in the CIDR, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The address at offset from the network address. */
    public String address(long offset) {
        return toText(network + offset);
    }

    /** The offset of ip from the network address, or -1 when it lies outside. */
    public long offsetOf(String ip) {
        Long n = toNumber(ip);
        return n == null || n < network || n >= network + size() ? -1 : n - network;
    }

    /** IPv4 dotted quad to number; null if it is none. */
    static Long toNumber(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long n = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            n = n << 8 | v;
        }
        return n;
    }

    static String toText(long n) {
        return (n >> 24 & 255) + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    @Override
    public String toString() {
        return toText(network) + "/" + prefix;
    }
}
