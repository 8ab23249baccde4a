package io.capstan.network.routes;

/** Where routes are written: the kernel's main table through {@code ip route}, or a fake in tests. */
interface RouteTable {

    /** Adds the route, or changes the gateway of the route to its destination. */
    void replace(Route route);

    /** Removes the route if it is there. */
    void delete(Route route);
}
