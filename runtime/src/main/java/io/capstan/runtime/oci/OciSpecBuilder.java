package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.runtime.ContainerSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a container's OCI runtime spec (config.json) from a {@link ContainerSpec} the way containerd's and
 * CRI-O's CRI plugins do: their default capabilities, mounts, masked and read-only paths; the sandbox's
 * namespaces joined by path; cgroup limits; privileged containers with every capability and the host's devices.
 * Pure: everything it needs from the host comes in through {@link Context}.
 */
public final class OciSpecBuilder {

    /**
     * Where the container goes: the sandbox's pinned namespace files (null = the host's), whether it shares the
     * host's PID namespace, its cgroup path, whether memory+swap can be limited, the open-files limit (0 = inherit;
     * it cannot exceed the runtime's own hard limit, as runc sets it after dropping CAP_SYS_RESOURCE), the
     * capabilities the runtime itself holds (what "ALL" and privileged mean, as containerd takes them from its own
     * process; empty = every one Linux knows) and the host's devices (for privileged containers).
     */
    public record Context(String netns, String ipcns, String utsns, boolean hostPid, String cgroupsPath,
                          boolean memorySwap, long openFiles, List<String> hostCapabilities, List<HostDevice> hostDevices) {

        public Context {
            hostCapabilities = List.copyOf(hostCapabilities);
            hostDevices = List.copyOf(hostDevices);
        }

        List<String> allCapabilities() {
            return hostCapabilities.isEmpty() ? ALL_CAPABILITIES : hostCapabilities;
        }
    }

    /** A device node of the host, as a privileged container gets it. */
    public record HostDevice(String path, String type, long major, long minor, int fileMode, long uid, long gid) {}

    /** The capabilities containerd and CRI-O give a container by default. */
    static final List<String> DEFAULT_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
            "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    /** Every capability Linux 5.9+ knows, in the order of their numbers (CAP_CHECKPOINT_RESTORE = 40 is the last). */
    static final List<String> ALL_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
            "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT",
            "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
            "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
            "CHECKPOINT_RESTORE");

    /** containerd's default masked paths. */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/sys/devices/virtual/powercap", "/proc/scsi");

    /** containerd's default read-only paths. */
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OciSpecBuilder() {}

    public static ObjectNode build(ContainerSpec spec, Context context) {
        ObjectNode config = NODES.objectNode();
        config.put("ociVersion", "1.0.2");
        config.set("process", process(spec, context));
        ObjectNode root = config.putObject("root");
        root.put("path", spec.rootfs() == null ? "/" : spec.rootfs().toString());
        root.put("readonly", spec.security().readOnlyRootfs());
        config.set("mounts", mounts(spec, context));
        config.set("linux", linux(spec, context));
        return config;
    }

    private static ObjectNode process(ContainerSpec spec, Context context) {
        ObjectNode process = NODES.objectNode();
        process.put("terminal", spec.tty());
        ObjectNode user = process.putObject("user");
        user.put("uid", spec.user().uid());
        user.put("gid", Math.max(0, spec.user().gid()));
        if (!spec.user().additionalGids().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            spec.user().additionalGids().forEach(gids::add);
        }
        ArrayNode args = process.putArray("args");
        spec.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        if (spec.env().stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.add(DEFAULT_PATH);
        }
        spec.env().forEach(env::add);
        process.put("cwd", spec.workingDir() == null || spec.workingDir().isBlank() ? "/" : spec.workingDir());
        ObjectNode caps = process.putObject("capabilities");
        List<String> effective = capabilities(spec.security(), context.allCapabilities()).stream().map(c -> "CAP_" + c).toList();
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode array = caps.putArray(set);
            effective.forEach(array::add);
        }
        rlimits(process, context.openFiles());
        process.put("noNewPrivileges", spec.security().noNewPrivileges() && !spec.security().privileged());
        return process;
    }

    private static void rlimits(ObjectNode process, long openFiles) {
        if (openFiles > 0) {
            ObjectNode nofile = process.putArray("rlimits").addObject();
            nofile.put("type", "RLIMIT_NOFILE");
            nofile.put("hard", openFiles);
            nofile.put("soft", openFiles);
        }
    }

    /**
     * containerd's order: "ALL" in add starts from every capability and "ALL" in drop from none, then the named
     * ones are added and dropped, so add [ALL] + drop [CHOWN] is everything but CHOWN. Privileged means all;
     * what the runtime does not hold itself it cannot give.
     */
    static List<String> capabilities(ContainerSpec.Security security, List<String> all) {
        if (security.privileged()) {
            return all;
        }
        Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
        List<String> add = security.addCapabilities().stream().map(OciSpecBuilder::capabilityName).toList();
        List<String> drop = security.dropCapabilities().stream().map(OciSpecBuilder::capabilityName).toList();
        if (add.contains("ALL")) {
            caps = new LinkedHashSet<>(all);
        }
        if (drop.contains("ALL")) {
            caps.clear();
        }
        add.stream().filter(c -> !c.equals("ALL")).forEach(caps::add);
        drop.forEach(caps::remove);
        caps.retainAll(all);
        return List.copyOf(caps);
    }

    private static String capabilityName(String name) {
        String upper = name.strip().toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }

    private static ArrayNode mounts(ContainerSpec spec, Context context) {
        boolean privileged = spec.security().privileged();
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        mounts.add(new ContainerSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(new ContainerSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(new ContainerSpec.Mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(new ContainerSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(new ContainerSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        // sysfs can only be mounted by a process that owns its network namespace; with the host's, /sys is bound (as Docker does).
        mounts.add(context.netns() == null
                ? new ContainerSpec.Mount("/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro"))
                : new ContainerSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", privileged ? "rw" : "ro")));
        mounts.add(new ContainerSpec.Mount("/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro")));
        // A mount of the spec at a default's destination replaces the default (e.g. a bigger /dev/shm).
        mounts.removeIf(m -> spec.mounts().stream().anyMatch(s -> s.destination().equals(m.destination())));
        mounts.addAll(spec.mounts());
        ArrayNode array = NODES.arrayNode();
        for (ContainerSpec.Mount mount : mounts) {
            ObjectNode node = array.addObject();
            node.put("destination", mount.destination());
            node.put("type", mount.type());
            node.put("source", mount.source());
            ArrayNode options = node.putArray("options");
            mount.options().forEach(options::add);
        }
        return array;
    }

    private static ObjectNode linux(ContainerSpec spec, Context context) {
        ObjectNode linux = NODES.objectNode();
        ArrayNode namespaces = linux.putArray("namespaces");
        if (!context.hostPid()) {
            namespaces.addObject().put("type", "pid");
        }
        namespaces.addObject().put("type", "mount");
        joinNamespace(namespaces, "network", context.netns());
        joinNamespace(namespaces, "ipc", context.ipcns());
        joinNamespace(namespaces, "uts", context.utsns());
        linux.set("resources", resources(spec, context));
        linux.put("cgroupsPath", context.cgroupsPath());
        if (spec.security().privileged()) {
            ArrayNode devices = linux.putArray("devices");
            for (HostDevice device : context.hostDevices()) {
                ObjectNode node = devices.addObject();
                node.put("path", device.path());
                node.put("type", device.type());
                node.put("major", device.major());
                node.put("minor", device.minor());
                node.put("fileMode", device.fileMode());
                node.put("uid", device.uid());
                node.put("gid", device.gid());
            }
        } else {
            ArrayNode masked = linux.putArray("maskedPaths");
            MASKED_PATHS.forEach(masked::add);
            ArrayNode readonly = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(readonly::add);
        }
        return linux;
    }

    private static void joinNamespace(ArrayNode namespaces, String type, String path) {
        if (path != null) {
            namespaces.addObject().put("type", type).put("path", path);
        }
    }

    private static ObjectNode resources(ContainerSpec spec, Context context) {
        ContainerSpec.Resources limits = spec.resources();
        ObjectNode resources = NODES.objectNode();
        // Deny every device, then runc adds its defaults (null, zero, full, tty, random, urandom, pts, ptmx).
        ObjectNode rule = resources.putArray("devices").addObject();
        rule.put("allow", spec.security().privileged());
        rule.put("access", "rwm");
        ObjectNode cpu = resources.putObject("cpu");
        cpu.put("shares", Math.max(2, limits.cpuShares()));
        if (limits.cpuQuotaMicros() > 0) {
            cpu.put("quota", limits.cpuQuotaMicros());
        }
        if (limits.cpuPeriodMicros() > 0) {
            cpu.put("period", limits.cpuPeriodMicros());
        }
        if (limits.memoryLimitBytes() > 0) {
            ObjectNode memory = resources.putObject("memory");
            memory.put("limit", limits.memoryLimitBytes());
            if (context.memorySwap()) {
                // No swap beyond the limit, as the kubelet asks (swap equal to the memory limit).
                memory.put("swap", limits.memoryLimitBytes());
            }
        }
        if (limits.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", limits.pidsLimit());
        }
        return resources;
    }
}
