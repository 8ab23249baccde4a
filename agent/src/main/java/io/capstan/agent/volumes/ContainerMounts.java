package io.capstan.agent.volumes;

import io.capstan.agent.env.ContainerConfigError;
import io.capstan.agent.env.Expansion;
import io.capstan.runtime.ContainerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A container's mounts, as the kubelet's makeMounts and the runtime build them: its volumeMounts (subPath and
 * subPathExpr resolved inside the volume), then /etc/hosts, /etc/resolv.conf, /etc/hostname and the termination
 * log unless the container mounts something there itself. Parents come before their children.
 */
public final class ContainerMounts {

    static final String ETC_HOSTS = "/etc/hosts";
    static final String RESOLV_CONF = "/etc/resolv.conf";
    static final String HOSTNAME = "/etc/hostname";
    static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";

    private ContainerMounts() {}

    /**
     * @param env the container's resolved environment ({@code NAME=value}), for subPathExpr
     * @param terminationLog the host file for the container's terminationMessagePath; null for none
     * @throws ContainerConfigError with the kubelet's message for a missing volume or a bad subPath
     */
    public static List<ContainerSpec.Mount> build(Container container, Map<String, MountedVolume> volumes, List<String> env,
                                                  PodFiles files, Path terminationLog) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        TreeSet<String> destinations = new TreeSet<>();
        for (VolumeMount vm : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
            MountedVolume volume = volumes.get(vm.getName());
            if (volume == null) {
                throw new ContainerConfigError("cannot find volume \"" + vm.getName() + "\" to mount into container \"" + container.getName() + "\"");
            }
            Path source = volume.hostPath();
            String subPath = subPath(vm, env);
            if (!subPath.isEmpty()) {
                source = subPathSource(volume.hostPath(), subPath, vm.getName(), container.getName());
            }
            mounts.add(ContainerSpec.Mount.bind(source, vm.getMountPath(), volume.readOnly() || Boolean.TRUE.equals(vm.getReadOnly())));
            destinations.add(vm.getMountPath());
        }
        if (files.hosts() != null && !destinations.contains(ETC_HOSTS)) {
            mounts.add(ContainerSpec.Mount.bind(files.hosts(), ETC_HOSTS, false));
        }
        if (!destinations.contains(RESOLV_CONF)) {
            mounts.add(ContainerSpec.Mount.bind(files.resolvConf(), RESOLV_CONF, false));
        }
        if (!destinations.contains(HOSTNAME)) {
            mounts.add(ContainerSpec.Mount.bind(files.hostname(), HOSTNAME, false));
        }
        String terminationPath = container.getTerminationMessagePath() == null || container.getTerminationMessagePath().isEmpty()
                ? DEFAULT_TERMINATION_LOG : container.getTerminationMessagePath();
        if (terminationLog != null && !destinations.contains(terminationPath)) {
            mounts.add(ContainerSpec.Mount.bind(terminationLog, terminationPath, false));
        }
        // A stable sort by depth: /data is mounted before /data/cache, as CRI-O orders them.
        mounts.sort(Comparator.comparingInt(m -> Path.of(m.destination()).normalize().getNameCount()));
        return mounts;
    }

    private static String subPath(VolumeMount vm, List<String> env) {
        if (vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()) {
            Map<String, String> vars = new HashMap<>();
            for (String line : env) {
                int eq = line.indexOf('=');
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
            TreeSet<String> missing = new TreeSet<>();
            String expanded = Expansion.expand(vm.getSubPathExpr(), key -> {
                String value = vars.get(key);
                if (value == null || value.isEmpty()) {
                    missing.add(key);
                    return "";
                }
                return value;
            });
            if (!missing.isEmpty()) {
                throw new ContainerConfigError("missing value for " + String.join(", ", missing));
            }
            return expanded;
        }
        return vm.getSubPath() == null ? "" : vm.getSubPath();
    }

    /** The subPath inside the volume, created as a directory when missing; it must not leave the volume, also through symlinks. */
    private static Path subPathSource(Path volume, String subPath, String mountName, String containerName) {
        if (subPath.startsWith("/")) {
            throw new ContainerConfigError("error SubPath `" + subPath + "` must not be an absolute path");
        }
        for (String part : subPath.split("/")) {
            if (part.equals("..")) {
                throw new ContainerConfigError("unable to provision SubPath `" + subPath + "`: must not contain '..'");
            }
        }
        Path source = volume.resolve(subPath).normalize();
        try {
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(source);
                    Files.setPosixFilePermissions(source, Files.getPosixFilePermissions(volume));
                } catch (IOException e) {
                    throw new ContainerConfigError("failed to create subPath directory for volumeMount \"" + mountName
                            + "\" of container \"" + containerName + "\"");
                }
            }
            Path real = source.toRealPath();
            Path base = volume.toRealPath();
            if (!real.startsWith(base)) {
                throw new ContainerConfigError("subpath \"" + real + "\" not within volume path \"" + base + "\"");
            }
            return real;
        } catch (IOException e) {
            throw new ContainerConfigError("failed to prepare subPath for volumeMount \"" + mountName + "\" of container \""
                    + containerName + "\": " + e.getMessage());
        }
    }
}
