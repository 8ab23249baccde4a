package io.capstan.cli.bench;

import java.util.Arrays;

/** Collected latencies in nanoseconds, and their percentiles in milliseconds. */
final class Latencies {

    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        nanos = new long[capacity];
    }

    synchronized void add(long n) {
        nanos[count++] = n;
    }

    synchronized double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
