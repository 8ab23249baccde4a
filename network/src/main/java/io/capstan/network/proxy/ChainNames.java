package io.capstan.network.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proxy's chain names. Per-port chains carry a hash as kube-proxy's (a chain name has at most 28 characters),
 * computed over the chain tag too, so agents with different tags never share a chain.
 */
final class ChainNames {

    static final String PREFIX = "CAPSTAN-";
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final String tag;
    private final String suffix;

    ChainNames(String tag) {
        this.tag = tag;
        this.suffix = tag.isEmpty() ? "" : "-" + tag;
    }

    String services() {
        return PREFIX + "SERVICES" + suffix;
    }

    String nodePorts() {
        return PREFIX + "NODEPORTS" + suffix;
    }

    String postrouting() {
        return PREFIX + "POSTROUTING" + suffix;
    }

    String markMasq() {
        return PREFIX + "MARK-MASQ" + suffix;
    }

    /** The filter table's chain for node ports and load-balancer IPs (kube-proxy's KUBE-EXTERNAL-SERVICES). */
    String external() {
        return PREFIX + "EXTERNAL" + suffix;
    }

    String svc(ServicePortName port) {
        return PREFIX + "SVC-" + hash(ProxyModel.key(port));
    }

    String svl(ServicePortName port) {
        return PREFIX + "SVL-" + hash(ProxyModel.key(port));
    }

    String ext(ServicePortName port) {
        return PREFIX + "EXT-" + hash(ProxyModel.key(port));
    }

    String sep(ServicePortName port, Endpoint endpoint) {
        return PREFIX + "SEP-" + hash(ProxyModel.key(port) + "/" + endpoint.address());
    }

    /** The first 80 bits of SHA-256 in base32: 16 characters. */
    private String hash(String what) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((tag + "|" + what).getBytes(StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder(16);
            long bits = 0;
            int count = 0;
            for (int i = 0; out.length() < 16; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
                count += 8;
                while (count >= 5 && out.length() < 16) {
                    out.append(BASE32[(int) (bits >>> (count - 5)) & 31]);
                    count -= 5;
                }
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
