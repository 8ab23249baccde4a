package io.capstan.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.simulated.SimulatedNodeConfig;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * `capstan sim stop-node|start-node NAME`: makes a simulated node behave as a crashed machine (no
 * Lease renewals, its pods left as they are) or boot again, through the node annotation
 * capstan.io/simulated-stopped that the simulated nodes honour.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Control simulated nodes.",
        subcommands = {SimCommand.StopNode.class, SimCommand.StartNode.class})
final class SimCommand implements Runnable {

    @Option(names = "--kubeconfig", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Kubeconfig of the cluster (default: $KUBECONFIG, else DATA/kubeconfig.yaml).")
    Path kubeconfig;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** What both subcommands share: the node named, and the cluster of the parent's --kubeconfig. */
    abstract static class NodeSwitch implements Callable<Integer> {
        @ParentCommand
        SimCommand parent;

        @Parameters(paramLabel = "NAME", description = "The simulated node, e.g. sim-1.")
        String name;

        abstract boolean stop();

        @Override
        public Integer call() throws Exception {
            return parent.setStopped(name, stop());
        }
    }

    /** `capstan sim stop-node NAME`. */
    @Command(name = "stop-node", mixinStandardHelpOptions = true,
            description = "Stop a simulated node as a crash would: it stops renewing its Lease and leaves its pods alone.")
    static final class StopNode extends NodeSwitch {
        @Override
        boolean stop() {
            return true;
        }
    }

    /** `capstan sim start-node NAME`. */
    @Command(name = "start-node", mixinStandardHelpOptions = true,
            description = "Start a stopped simulated node again: it renews its Lease and reports Ready.")
    static final class StartNode extends NodeSwitch {
        @Override
        boolean stop() {
            return false;
        }
    }

    int setStopped(String node, boolean stopped) throws Exception {
        Path config = kubeconfigPath();
        if (!Files.exists(config)) {
            System.err.println("capstan: no kubeconfig at " + config + ": start the cluster with `capstan server` first, or pass --kubeconfig");
            return 1;
        }
        ApiClient api = ApiClient.create(ClientConfig.fromKubeconfig(config), "capstan-sim");
        try {
            ObjectNode current = api.get(Kinds.NODES, "", node);
            if (!"simulated".equals(Json.text(current, "metadata", "labels", "type"))) {
                System.err.println("capstan: node " + node + " is not a simulated node");
                return 1;
            }
            ObjectNode patch = Json.object();
            ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
            if (stopped) {
                annotations.put(SimulatedNodeConfig.STOPPED_ANNOTATION, "true");
            } else {
                annotations.putNull(SimulatedNodeConfig.STOPPED_ANNOTATION);
            }
            api.patch(Kinds.NODES, "", node, "", ApiClient.MERGE_PATCH, patch);
            System.out.println("node/" + node + (stopped ? " stopped" : " started"));
            return 0;
        } catch (StatusException e) {
            System.err.println("Error from server (" + e.reason() + "): " + e.getMessage());
            return 1;
        }
    }

    private Path kubeconfigPath() {
        if (kubeconfig != null) {
            return kubeconfig;
        }
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env.split(java.io.File.pathSeparator)[0]);
        }
        return DataDir.resolve(null).resolve("kubeconfig.yaml");
    }
}
