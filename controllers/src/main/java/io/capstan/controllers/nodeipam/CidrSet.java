package io.capstan.controllers.nodeipam;

import java.util.BitSet;

/**
 * The node subnets of one cluster CIDR and which are taken, as kube-controller-manager's cidrset: subnets are
 * handed out round-robin from the one after the last allocated, so a released subnet is not reused at once.
 */
final class CidrSet {

    /** No free subnet is left. */
    static final class FullException extends Exception {
        FullException(String message) {
            super(message);
        }
    }

    private final Ipv4Cidr cluster;
    private final int nodePrefix;
    private final int size;
    private final BitSet used;
    private int next;

    /** @param nodePrefix the prefix length of each node's subnet; not shorter than the cluster's */
    CidrSet(Ipv4Cidr cluster, int nodePrefix) {
        if (nodePrefix < cluster.prefix()) {
            throw new IllegalArgumentException("node mask size /" + nodePrefix + " is shorter than the cluster CIDR " + cluster);
        }
        if (nodePrefix - cluster.prefix() > 24) {
            throw new IllegalArgumentException("node mask size /" + nodePrefix + " gives too many subnets of " + cluster);
        }
        this.cluster = cluster;
        this.nodePrefix = nodePrefix;
        this.size = 1 << (nodePrefix - cluster.prefix());
        this.used = new BitSet(size);
    }

    /** The next free subnet, now taken. */
    synchronized Ipv4Cidr allocateNext() throws FullException {
        for (int i = 0; i < size; i++) {
            int candidate = (next + i) % size;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % size;
                return subnet(candidate);
            }
        }
        throw new FullException("CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range");
    }

    /** Marks every subnet the given network overlaps as taken (a node's subnet found on a restart, or a range kept out). */
    synchronized void occupy(Ipv4Cidr cidr) {
        setRange(cidr, true);
    }

    synchronized void release(Ipv4Cidr cidr) {
        setRange(cidr, false);
    }

    synchronized boolean isUsed(Ipv4Cidr cidr) {
        int[] range = range(cidr);
        return used.get(range[0]);
    }

    /** Whether the network lies inside the cluster CIDR (a node subnet from another configuration does not). */
    boolean covers(Ipv4Cidr cidr) {
        return cluster.contains(cidr) || cidr.contains(cluster);
    }

    private void setRange(Ipv4Cidr cidr, boolean value) {
        int[] range = range(cidr);
        used.set(range[0], range[1] + 1, value);
    }

    /** The first and last subnet index the network overlaps. */
    private int[] range(Ipv4Cidr cidr) {
        if (!covers(cidr)) {
            throw new IllegalArgumentException("CIDR " + cidr + " is not in the cluster CIDR " + cluster);
        }
        if (cidr.contains(cluster)) {
            return new int[] {0, size - 1};
        }
        int shift = 32 - nodePrefix;
        int first = (int) ((cidr.base() - cluster.base()) >> shift);
        long last = cidr.base() + (1L << (32 - cidr.prefix())) - 1;
        return new int[] {first, (int) ((last - cluster.base()) >> shift)};
    }

    private Ipv4Cidr subnet(int index) {
        return new Ipv4Cidr(cluster.base() + ((long) index << (32 - nodePrefix)), nodePrefix);
    }
}
