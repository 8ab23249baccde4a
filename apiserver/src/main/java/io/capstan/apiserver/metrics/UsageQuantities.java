package io.capstan.apiserver.metrics;

/**
 * Usage as metrics-server writes it, in Kubernetes' canonical quantity form: CPU from nanocores (decimal,
 * "250m", "1500u", "12345n", "2"), memory from bytes (binary, "131072Ki", "64Mi", or plain bytes).
 */
final class UsageQuantities {

    private static final String[] DECIMAL = {"n", "u", "m", ""};
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private UsageQuantities() {}

    /** As resource.NewScaledQuantity(nanoCores, -9).String(): the largest suffix that keeps the number whole. */
    static String cpu(long nanoCores) {
        if (nanoCores == 0) {
            return "0";
        }
        long n = nanoCores;
        int suffix = 0;
        while (suffix < DECIMAL.length - 1 && n % 1000 == 0) {
            n /= 1000;
            suffix++;
        }
        return n + DECIMAL[suffix];
    }

    /** As resource.NewQuantity(bytes, BinarySI).String(). */
    static String memory(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        long n = bytes;
        int suffix = 0;
        while (suffix < BINARY.length - 1 && n % 1024 == 0) {
            n /= 1024;
            suffix++;
        }
        return n + BINARY[suffix];
    }
}
