package io.capstan.network.ingress;

/**
 * Where a matched request goes: a Service's port, named by number or by name as an IngressServiceBackend.
 *
 * @param port the service port's number, or 0 when the backend names it
 * @param portName the service port's name, or null when the backend gives its number
 */
public record Backend(String namespace, String service, int port, String portName) {

    @Override
    public String toString() {
        return namespace + "/" + service + ":" + (portName != null ? portName : Integer.toString(port));
    }
}
