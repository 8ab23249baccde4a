package io.capstan.apiserver.streams;

import io.capstan.api.PodLogOptions;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.registry.GenericRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GET pods/NAME/log: checks the options and the container as kube-apiserver does, then passes the
 * agent's answer through as it arrives, so a follow shows each line at once.
 */
final class PodLogProxy {

    private final GenericRegistry registry;
    private final KubeletClient kubelets;

    PodLogProxy(GenericRegistry registry, KubeletClient kubelets) {
        this.registry = registry;
        this.kubelets = kubelets;
    }

    void serve(Exchange exchange, String namespace, String name) throws IOException, InterruptedException {
        PodLogOptions options = PodLogOptions.parse(exchange::query, name);
        PodTarget target = PodTarget.find(registry, namespace, name, options.container());
        if (target.agent() == null) {
            // kube-apiserver streams nothing for a pod that has no node yet.
            exchange.respond(200, "text/plain", new byte[0]);
            return;
        }
        URI uri = target.agentPath("containerLogs", options.kubeletQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (!options.follow()) {
            request.timeout(Duration.ofMinutes(5));
        }
        HttpResponse<InputStream> response;
        try {
            response = kubelets.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw AgentAnswers.unreachable("pod " + name, e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw AgentAnswers.failure(response.statusCode(), in.readNBytes(64 * 1024));
            }
            exchange.ignoreIdleTimeout();
            exchange.onFailure(() -> close(in)); // the client left: stop reading from the agent
            OutputStream out = exchange.openStream(200, "text/plain");
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
