package io.capstan.network.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Services and EndpointSlices as the API serves them, for tests. */
final class Objects {

    static final ObjectMapper JSON = new ObjectMapper();

    private Objects() {}

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A Service; spec is JSON with ' for ". */
    static ObjectNode service(String ns, String name, String spec) {
        return json("{'metadata':{'namespace':'" + ns + "','name':'" + name + "'},'spec':" + spec + "}");
    }

    /** An EndpointSlice of service with one port ("name:port/protocol" parts) and endpoints "ip[@node][ (ready|serving-terminating|terminating)]". */
    static ObjectNode slice(String ns, String service, String portName, int port, String protocol, String... endpoints) {
        ObjectNode slice = json("{'metadata':{'namespace':'" + ns + "','name':'" + service + "-abc','labels':{'kubernetes.io/service-name':'"
                + service + "'}},'addressType':'IPv4','ports':[{'name':'" + portName + "','port':" + port + ",'protocol':'" + protocol + "'}]}");
        ArrayNode eps = slice.putArray("endpoints");
        for (String e : endpoints) {
            String[] words = e.split(" ");
            String[] ipNode = words[0].split("@");
            ObjectNode ep = eps.addObject();
            ep.putArray("addresses").add(ipNode[0]);
            if (ipNode.length > 1) {
                ep.put("nodeName", ipNode[1]);
            }
            String state = words.length > 1 ? words[1] : "ready";
            ObjectNode c = ep.putObject("conditions");
            c.put("ready", state.equals("ready"));
            c.put("serving", !state.equals("terminating"));
            c.put("terminating", state.contains("terminating"));
        }
        return slice;
    }
}
