package io.capstan.network.proxy;

/** One backend of a Service port: an address and port with the EndpointSlice conditions, and whether it is on this node. */
public record Endpoint(String ip, int port, boolean ready, boolean serving, boolean terminating, boolean local) {

    /** "ip:port", as DNAT's --to-destination wants it. */
    String address() {
        return ip + ":" + port;
    }
}
