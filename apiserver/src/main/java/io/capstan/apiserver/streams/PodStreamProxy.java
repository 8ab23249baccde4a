package io.capstan.apiserver.streams;

import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.registry.GenericRegistry;
import java.io.IOException;
import java.util.Set;

/** The pod subresources served by the node's agent: log (GET), exec, attach and portforward (GET or POST, upgraded to WebSocket). */
public final class PodStreamProxy {

    public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");

    private final PodLogProxy logs;
    private final PodExecProxy streams;

    public PodStreamProxy(GenericRegistry registry, KubeletClient kubelets) {
        this.logs = new PodLogProxy(registry, kubelets);
        this.streams = new PodExecProxy(registry, kubelets);
    }

    public void handle(Exchange exchange, RequestInfo info) throws IOException, InterruptedException {
        String sub = info.subresource();
        boolean get = info.verb().equals("get");
        if (sub.equals("log")) {
            if (!get) {
                throw StatusException.methodNotAllowed();
            }
            logs.serve(exchange, info.namespace(), info.name());
            return;
        }
        if (!get && !info.verb().equals("create")) {
            throw StatusException.methodNotAllowed();
        }
        streams.serve(exchange, sub, info.namespace(), info.name());
    }
}
