package io.capstan.apiserver.registry.service;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which addresses of the service CIDR are taken, as kube-apiserver's bitmap allocator: never the network or broadcast
 * address, random picks from the upper band first so the lower band stays free for addresses users choose
 * (KEP-3070), and never the first address, which belongs to the `kubernetes` Service.
 */
final class IpAllocator {

    private final ServiceCidr cidr;
    private final BitSet used = new BitSet();
    /** Usable offsets are 1..max (network and broadcast excluded). */
    private final int max;
    /** Offsets 1..staticBand are picked at random only when the upper band is full. */
    private final int staticBand;

    IpAllocator(ServiceCidr cidr) {
        this.cidr = cidr;
        this.max = (int) Math.min(cidr.size() - 2, Integer.MAX_VALUE - 1);
        this.staticBand = (int) Math.min(Math.max(16, max / 16), 256);
    }

    ServiceCidr cidr() {
        return cidr;
    }

    /** Takes ip; the error detail Kubernetes reports when it cannot. */
    synchronized String allocate(String ip) {
        long offset = cidr.offsetOf(ip);
        if (offset < 1 || offset > max) {
            return "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + cidr;
        }
        if (used.get((int) offset)) {
            return "provided IP is already allocated";
        }
        used.set((int) offset);
        return null;
    }

    /** Whether ip could be taken now (dry run). */
    synchronized String check(String ip) {
        String error = allocate(ip);
        if (error == null) {
            used.clear((int) cidr.offsetOf(ip));
        }
        return error;
    }

    /** A free address picked at random, or null when the range is full. */
    synchronized String allocateNext() {
        Integer offset = pick(staticBand + 1, max);
        if (offset == null) {
            offset = pick(2, Math.min(staticBand, max));
        }
        if (offset == null) {
            return null;
        }
        used.set(offset);
        return cidr.address(offset);
    }

    /** A random free offset in [from, to], scanning on from a random start as the bitmap allocator does. */
    private Integer pick(int from, int to) {
        if (from > to) {
            return null;
        }
        int span = to - from + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int offset = from + (start + i) % span;
            if (!used.get(offset)) {
                return offset;
            }
        }
        return null;
    }

    synchronized void release(String ip) {
        long offset = cidr.offsetOf(ip);
        if (offset >= 1 && offset <= max) {
            used.clear((int) offset);
        }
    }

    synchronized boolean isAllocated(String ip) {
        long offset = cidr.offsetOf(ip);
        return offset >= 1 && offset <= max && used.get((int) offset);
    }

    synchronized int allocatedCount() {
        return used.cardinality();
    }
}
