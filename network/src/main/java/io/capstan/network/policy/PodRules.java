package io.capstan.network.policy;

import java.util.List;
import java.util.Optional;

/**
 * What the policies say about one pod on this node: for each direction, empty when no policy isolates the pod in
 * that direction (all traffic passes), else the traffic that passes (an empty list: none, as a default deny).
 */
public record PodRules(String namespace, String name, String ip, Optional<List<Allow>> ingress, Optional<List<Allow>> egress) {

    boolean isolated() {
        return ingress.isPresent() || egress.isPresent();
    }
}
