package io.capstan.agent.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** Facts about this machine a Node reports: CPUs, memory, disk, kernel, OS, ids and the address others reach it at. */
public record MachineInfo(int cpus, long memoryBytes, long diskBytes, String kernelVersion, String osImage, String machineId,
                          String bootId, String internalIp, String hostname) {

    /** Reads /proc and the network interfaces; {@code dataDir}'s file system is the node's ephemeral storage. */
    public static MachineInfo read(Path dataDir) {
        long disk;
        try {
            disk = Files.getFileStore(dataDir).getTotalSpace();
        } catch (IOException e) {
            disk = 0;
        }
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memTotal(), disk,
                firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")), readOsImage(),
                firstLine(Path.of("/etc/machine-id"), ""), firstLine(Path.of("/proc/sys/kernel/random/boot_id"), ""),
                primaryAddress(), readHostname());
    }

    /** The same machine advertising another address (the agent's --node-ip). */
    public MachineInfo withInternalIp(String address) {
        return new MachineInfo(cpus, memoryBytes, diskBytes, kernelVersion, osImage, machineId, bootId, address, hostname);
    }

    /** Total memory from /proc/meminfo ("MemTotal: 16316412 kB"). */
    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the JVM's view
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String readOsImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // not every system has it
        }
        return "Linux";
    }

    private static String firstLine(Path file, String fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? fallback : lines.getFirst().trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    /**
     * The IPv4 address of the interface the default route leaves by (so neither the pod bridge nor a veth);
     * else the first of an interface that is up and not loopback; 127.0.0.1 on a machine with none.
     */
    static String primaryAddress() {
        try {
            String defaultInterface = defaultRouteInterface();
            List<NetworkInterface> nics = Collections.list(NetworkInterface.getNetworkInterfaces());
            nics.sort(java.util.Comparator.comparing((NetworkInterface nic) -> !nic.getName().equals(defaultInterface)));
            for (NetworkInterface nic : nics) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall back to loopback
        }
        return "127.0.0.1";
    }

    /** The interface of the IPv4 default route, from /proc/net/route (destination 00000000); "" when there is none. */
    static String defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000")) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // no routing table to read
        }
        return "";
    }

    static String readHostname() {
        String name = firstLine(Path.of("/proc/sys/kernel/hostname"), "localhost");
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
