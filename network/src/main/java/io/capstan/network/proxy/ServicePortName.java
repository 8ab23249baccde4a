package io.capstan.network.proxy;

/** One port of one Service, as kube-proxy's ServicePortName: "namespace/name:port" plus the protocol. */
public record ServicePortName(String namespace, String name, String port, String protocol) {

    /** "ns/name:port" (or "ns/name" for an unnamed port), what rule comments and logs show. */
    @Override
    public String toString() {
        return namespace + "/" + name + (port.isEmpty() ? "" : ":" + port);
    }
}
