package io.capstan.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Expected JSON pieces. */
final class ServiceFixturesJson {

    private ServiceFixturesJson() {}

    static ObjectNode labels(String... keyValues) {
        ObjectNode labels = Json.object();
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    static ObjectNode port(String name, int port) {
        return Json.object().put("name", name).put("port", port).put("protocol", "TCP");
    }
}
