package io.capstan.agent.pods;

import java.nio.file.Path;

/**
 * Where a pod's files live on the node: DATA/pods/UID for volumes and DATA/logs/NS_NAME_UID/CONTAINER/N.log
 * for each attempt's log, as the kubelet lays out /var/lib/kubelet/pods and /var/log/pods.
 */
public record PodDirectories(Path dataDir) {

    public Path pod(String uid) {
        return dataDir.resolve("pods").resolve(uid);
    }

    public Path logs(String namespace, String name, String uid) {
        return dataDir.resolve("logs").resolve(namespace + "_" + name + "_" + uid);
    }

    public Path log(String namespace, String name, String uid, String container, int attempt) {
        return logs(namespace, name, uid).resolve(container).resolve(attempt + ".log");
    }
}
