package io.capstan.network.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Informer;
import io.capstan.client.Result;
import io.capstan.client.WorkQueue;
import io.capstan.network.iptables.Iptables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces NetworkPolicies for the pods of one node, as kube-router does for k3s: informers of policies, pods and
 * namespaces feed one coalesced key; each pass compiles the whole snapshot and rewrites only the chains that changed.
 * Closing removes every rule it made.
 */
public final class NetworkPolicyAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkPolicyAgent.class);
    private static final String KEY = "sync";
    /** Events closer together than this make one pass (a Deployment's pods start together). */
    private static final Duration COALESCE = Duration.ofMillis(100);

    /**
     * @param nodeName whose pods are enforced
     * @param bridge the pod bridge; it names this agent's chains, so agents on one host (test servers) keep apart
     */
    public record Config(String nodeName, String bridge) {}

    private final List<Informer> informers;
    private final Informer policies;
    private final Informer pods;
    private final Informer namespaces;
    private final PolicyCompiler compiler;
    private final PolicyEnforcer enforcer;
    private final ControllerLoop loop;

    private NetworkPolicyAgent(ApiClient api, Iptables iptables, Config config) {
        policies = new Informer(api, Kinds.NETWORK_POLICIES, "");
        pods = new Informer(api, Kinds.PODS, "");
        namespaces = new Informer(api, Kinds.NAMESPACES, "");
        informers = List.of(policies, pods, namespaces);
        compiler = new PolicyCompiler(config.nodeName());
        enforcer = new PolicyEnforcer(iptables, new PolicyChains(PolicyChains.tag(config.bridge())));
        WorkQueue<String> queue = new WorkQueue<>("network-policy");
        loop = new ControllerLoop("network-policy", queue, key -> sync(), 1);
        Informer.Handler enqueue = new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                queue.addAfter(KEY, COALESCE);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode current) {
                queue.addAfter(KEY, COALESCE);
            }

            @Override
            public void deleted(ObjectNode object) {
                queue.addAfter(KEY, COALESCE);
            }
        };
        informers.forEach(i -> i.addHandler(enqueue));
    }

    /** Starts enforcing (turning on bridge-nf-call-iptables if it is off); the first pass writes the chains even with no policy. */
    public static NetworkPolicyAgent start(ApiClient api, Iptables iptables, Config config) {
        BridgeNetfilter.ensure(Path.of("/proc/sys"));
        NetworkPolicyAgent agent = new NetworkPolicyAgent(api, iptables, config);
        agent.informers.forEach(Informer::start);
        agent.loop.start();
        agent.loop.queue().add(KEY);
        return agent;
    }

    /** Removes the chains an agent with this bridge left behind (one killed before it could close). */
    public static void removeLeftovers(Iptables iptables, String bridge) {
        new PolicyEnforcer(iptables, new PolicyChains(PolicyChains.tag(bridge))).remove();
    }

    private Result sync() {
        // Half a picture would isolate pods from peers not yet listed: wait until every informer has listed once.
        if (!informers.stream().allMatch(Informer::hasSynced)) {
            return Result.requeueAfter(Duration.ofMillis(200));
        }
        List<PodRules> rules = compiler.compile(new PolicySnapshot(policies.list(), pods.list(), namespaces.list()));
        enforcer.apply(rules);
        LOG.debug("network policy: {} isolated pods", rules.size());
        return Result.done();
    }

    @Override
    public void close() {
        loop.close();
        informers.forEach(Informer::close);
        try {
            enforcer.remove();
        } catch (RuntimeException e) {
            LOG.warn("could not remove the network policy rules: {}", e.toString());
        }
    }
}
