package io.capstan.agent.server;

import io.capstan.api.StatusException;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods held in memory: each container has a log file (current and previous instance) and a running flag;
 * exec runs the command as a local process. Answers with the kubelet's messages.
 */
public final class FakePodStreams implements PodStreams {

    /** One container: where its logs are, whether it has a previous instance, whether it runs. */
    private record Container(Path log, Path previousLog, boolean running) {}

    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Set<String> pods = ConcurrentHashMap.newKeySet();

    /** Adds or replaces a container; {@code previousLog} null means it never restarted. */
    public void container(String namespace, String pod, String container, Path log, Path previousLog, boolean running) {
        pods.add(namespace + "/" + pod);
        containers.put(key(namespace, pod, container), new Container(log, previousLog, running));
    }

    /** Marks the container as ended (or running again). */
    public void running(String namespace, String pod, String container, boolean running) {
        containers.computeIfPresent(key(namespace, pod, container), (k, c) -> new Container(c.log(), c.previousLog(), running));
    }

    private Container find(String namespace, String pod, String container) {
        if (!pods.contains(namespace + "/" + pod)) {
            throw StatusException.notFound("", "pods", pod);
        }
        Container c = containers.get(key(namespace, pod, container));
        if (c == null) {
            throw StatusException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not valid");
        }
        return c;
    }

    @Override
    public Path logFile(String namespace, String pod, String container, boolean previous) {
        Container c = find(namespace, pod, container);
        if (previous && c.previousLog() == null) {
            throw StatusException.badRequest("previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
        }
        return previous ? c.previousLog() : c.log();
    }

    @Override
    public boolean running(String namespace, String pod, String container) {
        Container c = containers.get(key(namespace, pod, container));
        return c != null && c.running();
    }

    @Override
    public ExecSession exec(String namespace, String pod, String container, ExecSpec spec) {
        if (!find(namespace, pod, container).running()) {
            throw StatusException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not running");
        }
        return new LocalExecSession(spec);
    }

    private static String key(String namespace, String pod, String container) {
        return namespace + "/" + pod + "/" + container;
    }
}
