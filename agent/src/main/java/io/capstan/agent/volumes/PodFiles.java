package io.capstan.agent.volumes;

import io.capstan.agent.PodWarning;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * The files the agent writes for a pod and mounts into its containers: {@code etc-hosts} (as the kubelet),
 * {@code resolv.conf} and {@code hostname} (as the runtime), and a termination-log file per container.
 *
 * @param hosts null when the pod has no IP yet (the kubelet then mounts no /etc/hosts)
 */
public record PodFiles(Path hosts, Path resolvConf, Path hostname, List<PodWarning> warnings) {

    /**
     * Writes the pod's files into its directory (PODS/UID).
     *
     * @param nodeHosts the node's /etc/hosts content, used for pods on the host network
     */
    public static PodFiles write(Path podDir, Pod pod, List<String> podIPs, PodHostname name, ResolvConf dns, String nodeHosts) {
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        try {
            Files.createDirectories(podDir);
            Path hosts = null;
            if (!podIPs.isEmpty()) {
                hosts = podDir.resolve("etc-hosts");
                writeFile(hosts, hostNetwork ? EtcHosts.hostNetwork(nodeHosts, pod.getSpec().getHostAliases())
                        : EtcHosts.managed(podIPs, name, pod.getSpec().getHostAliases()));
            }
            String description = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
            ResolvConf.Result resolv = dns.forPod(pod, description);
            Path resolvConf = writeFile(podDir.resolve("resolv.conf"), resolv.content());
            Path hostname = writeFile(podDir.resolve("hostname"), name.hostname() + "\n");
            return new PodFiles(hosts, resolvConf, hostname, resolv.warnings());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the files of pod " + pod.getMetadata().getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A fresh, empty termination-log file for one run of a container ({@code PODS/UID/containers/NAME/ID}, as the
     * kubelet makes it); the agent reads the termination message from it after the container exits.
     */
    public static Path terminationLog(Path podDir, String containerName) {
        try {
            Path dir = Files.createDirectories(podDir.resolve("containers").resolve(containerName));
            Path file = dir.resolve(UUID.randomUUID().toString().substring(0, 8));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("creating the termination log of container " + containerName + ": " + e.getMessage(), e);
        }
    }

    private static Path writeFile(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }
}
