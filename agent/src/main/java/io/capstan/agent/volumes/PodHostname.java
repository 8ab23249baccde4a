package io.capstan.agent.volumes;

import io.fabric8.kubernetes.api.model.Pod;

/** The hostname and domain a pod's UTS namespace and /etc/hosts get (the kubelet's GeneratePodHostNameAndDomain). */
public record PodHostname(String hostname, String domain) {

    private static final int MAX = 63;

    /** spec.hostname or the pod's name, cut to 63 characters; the domain {@code subdomain.namespace.svc.clusterDomain} when spec.subdomain is set. */
    public static PodHostname of(Pod pod, String clusterDomain) {
        String hostname = pod.getSpec().getHostname() == null || pod.getSpec().getHostname().isEmpty()
                ? pod.getMetadata().getName() : pod.getSpec().getHostname();
        if (hostname.length() > MAX) {
            // A hostname must not end with '-' or '.'.
            hostname = hostname.substring(0, MAX).replaceAll("[-.]+$", "");
        }
        String subdomain = pod.getSpec().getSubdomain();
        String domain = subdomain == null || subdomain.isEmpty() ? ""
                : subdomain + "." + pod.getMetadata().getNamespace() + ".svc." + clusterDomain;
        return new PodHostname(hostname, domain);
    }
}
