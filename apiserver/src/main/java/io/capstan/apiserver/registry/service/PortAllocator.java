package io.capstan.apiserver.registry.service;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/** Which node ports of the range are taken, as kube-apiserver's port allocator (random picks from the upper band first). */
final class PortAllocator {

    private final int min;
    private final int max;
    private final int staticBand;
    private final BitSet used = new BitSet();

    PortAllocator(int min, int max) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("invalid node port range " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
        int size = max - min + 1;
        this.staticBand = Math.min(Math.max(16, size / 32), 128);
    }

    /** Parses "30000-32767" (or a single port). */
    static PortAllocator parse(String range) {
        int dash = range.indexOf('-');
        return dash < 0 ? new PortAllocator(Integer.parseInt(range.trim()), Integer.parseInt(range.trim()))
                : new PortAllocator(Integer.parseInt(range.substring(0, dash).trim()), Integer.parseInt(range.substring(dash + 1).trim()));
    }

    String range() {
        return min + "-" + max;
    }

    /** Takes port; the error detail Kubernetes reports when it cannot. */
    synchronized String allocate(int port) {
        if (port < min || port > max) {
            return "provided port is not in the valid range. The range of valid ports is " + range();
        }
        if (used.get(port)) {
            return "provided port is already allocated";
        }
        used.set(port);
        return null;
    }

    /** Whether port could be taken now (dry run). */
    synchronized String check(int port) {
        String error = allocate(port);
        if (error == null) {
            used.clear(port);
        }
        return error;
    }

    /** A free port picked at random, or -1 when the range is full. */
    synchronized int allocateNext() {
        int port = pick(Math.min(min + staticBand, max), max);
        if (port < 0) {
            port = pick(min, Math.min(min + staticBand, max));
        }
        if (port >= 0) {
            used.set(port);
        }
        return port;
    }

    private int pick(int from, int to) {
        int span = to - from + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = from + (start + i) % span;
            if (!used.get(port)) {
                return port;
            }
        }
        return -1;
    }

    synchronized void release(int port) {
        if (port >= min && port <= max) {
            used.clear(port);
        }
    }

    synchronized boolean isAllocated(int port) {
        return used.get(port);
    }
}
