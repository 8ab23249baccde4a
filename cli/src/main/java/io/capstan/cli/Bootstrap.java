package io.capstan.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.GenericRegistry;
import java.util.List;

/** What every cluster has from its first start: the system namespaces. */
final class Bootstrap {

    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final GenericRegistry registry;
    private final ResourceType namespaces;

    Bootstrap(GenericRegistry registry, ResourceRegistry types) {
        this.registry = registry;
        this.namespaces = types.find("", "v1", "namespaces").orElseThrow();
    }

    void run() {
        for (String name : NAMESPACES) {
            if (registry.find(namespaces, "", name).isEmpty()) {
                ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
                ns.putObject("metadata").put("name", name);
                try {
                    registry.create(namespaces, "", ns, false);
                } catch (StatusException e) {
                    if (e.code() != 409) {
                        throw e;
                    }
                }
            }
        }
    }
}
