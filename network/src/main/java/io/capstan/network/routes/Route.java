package io.capstan.network.routes;

/**
 * A route to another node's pods: its pod subnet through its address.
 *
 * @param destination the other node's pod CIDR, e.g. 10.42.1.0/24
 * @param gateway the other node's InternalIP
 * @param node the other node's name, for the log
 */
public record Route(String destination, String gateway, String node) {}
