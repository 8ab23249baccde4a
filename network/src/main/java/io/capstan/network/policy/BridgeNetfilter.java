package io.capstan.network.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes bridged traffic pass iptables (br_netfilter, net.bridge.bridge-nf-call-iptables=1): pods on one bridge talk
 * at layer 2, and without it their packets would never meet the policy chains in FORWARD.
 */
final class BridgeNetfilter {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeNetfilter.class);

    private BridgeNetfilter() {}

    /** Turns it on under {@code procSys} (/proc/sys), loading the module when the setting is missing; false, with a warning, if it cannot. */
    static boolean ensure(Path procSys) {
        Path setting = procSys.resolve("net/bridge/bridge-nf-call-iptables");
        if (!Files.exists(setting)) {
            modprobe();
        }
        try {
            if (!Files.readString(setting).strip().equals("1")) {
                Files.writeString(setting, "1\n");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("NetworkPolicy cannot see traffic between pods on one bridge: net.bridge.bridge-nf-call-iptables is not 1 "
                    + "and could not be set ({}); load br_netfilter and set it", e.toString());
            return false;
        }
    }

    private static void modprobe() {
        try {
            new ProcessBuilder("modprobe", "br_netfilter").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no modprobe: the read below reports the setting as missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
