package io.capstan.network.policy;

/**
 * One kind of traffic a pod's policies let through in one direction: from (ingress) or to (egress) {@code remote},
 * over {@code protocol} to ports {@code fromPort..toPort}.
 *
 * @param remote a CIDR ("10.1.2.3/32" for a pod), or "" for any address
 * @param protocol TCP, UDP or SCTP, or "" for any protocol (and then any port)
 * @param fromPort the first port, 0 for every port of the protocol
 * @param toPort the last port (equal to fromPort for one port)
 */
public record Allow(String remote, String protocol, int fromPort, int toPort) {

    static final Allow EVERYTHING = new Allow("", "", 0, 0);

    /** Traffic on one port range of a protocol (0..0: every port), from or to anywhere. */
    static Allow ports(String protocol, int fromPort, int toPort) {
        return new Allow("", protocol, fromPort, toPort);
    }

    Allow withRemote(String cidr) {
        return new Allow(cidr, protocol, fromPort, toPort);
    }
}
