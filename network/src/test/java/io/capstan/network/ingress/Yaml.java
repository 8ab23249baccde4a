package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Test objects written as YAML. */
final class Yaml {

    private Yaml() {}

    static ObjectNode object(String yaml) {
        try {
            return (ObjectNode) Json.YAML.readTree(yaml);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
