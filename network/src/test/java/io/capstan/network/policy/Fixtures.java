package io.capstan.network.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Pods, namespaces and policies for the compiler's tests, written as their YAML. */
final class Fixtures {

    private Fixtures() {}

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A running pod with labels ("k=v,k2=v2") and, optionally, container ports ("name:80/TCP,..."). */
    static ObjectNode pod(String namespace, String name, String node, String ip, String labels, String ports) {
        ObjectNode pod = yaml("metadata: {namespace: " + namespace + ", name: " + name + "}\n"
                + "spec: {nodeName: " + node + ", containers: [{name: c}]}\n"
                + "status: {phase: Running, podIP: " + ip + ", podIPs: [{ip: " + ip + "}]}\n");
        ObjectNode l = Json.with(pod, "metadata", "labels");
        for (String kv : labels.split(",")) {
            if (!kv.isEmpty()) {
                l.put(kv.split("=")[0], kv.split("=")[1]);
            }
        }
        var containerPorts = ((ObjectNode) pod.path("spec").path("containers").get(0)).putArray("ports");
        for (String p : ports.split(",")) {
            if (!p.isEmpty()) {
                String[] nameRest = p.split(":");
                String[] numberProto = nameRest[1].split("/");
                containerPorts.addObject().put("name", nameRest[0]).put("containerPort", Integer.parseInt(numberProto[0]))
                        .put("protocol", numberProto[1]);
            }
        }
        return pod;
    }

    static ObjectNode namespace(String name, String labels) {
        ObjectNode ns = yaml("metadata: {name: " + name + "}");
        ObjectNode l = Json.with(ns, "metadata", "labels");
        for (String kv : labels.split(",")) {
            if (!kv.isEmpty()) {
                l.put(kv.split("=")[0], kv.split("=")[1]);
            }
        }
        return ns;
    }

    /** A policy in namespace with this spec (YAML, indented as the body of spec:). */
    static JsonNode policy(String namespace, String name, String spec) {
        return yaml("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {namespace: " + namespace + ", name: " + name
                + "}\nspec:\n" + spec.stripIndent().indent(2));
    }
}
