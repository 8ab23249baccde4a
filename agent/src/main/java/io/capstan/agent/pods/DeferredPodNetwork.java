package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.SandboxInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pod network of a node that does not know its pod subnet yet (it waits for the server to allocate one): sandboxes
 * wait a while for it, then fail as a kubelet's do while "network is not ready", and are retried.
 */
public final class DeferredPodNetwork implements PodNetwork {

    private final CompletableFuture<PodNetwork> network = new CompletableFuture<>();
    private final Duration patience;

    /** @param patience how long one sandbox waits for the network before its set-up fails (and is retried) */
    public DeferredPodNetwork(Duration patience) {
        this.patience = patience;
    }

    /** The network is ready: sandboxes waiting for it go on. */
    public void ready(PodNetwork ready) {
        network.complete(ready);
    }

    @Override
    public String setUp(SandboxInfo sandbox, JsonNode pod) {
        return network().setUp(sandbox, pod);
    }

    @Override
    public void tearDown(SandboxInfo sandbox, JsonNode pod) {
        network().tearDown(sandbox, pod);
    }

    private PodNetwork network() {
        try {
            return network.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("network is not ready: the node has no pod CIDR yet");
        } catch (ExecutionException e) {
            throw new IllegalStateException("network is not ready: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the pod network");
        }
    }
}
