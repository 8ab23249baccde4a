package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz test over every resource the server lists in discovery: malformed, oversized, deeply nested and
 * wrongly typed bodies, odd content types, methods and query parameters. Every answer must be below 500 (Kubernetes'
 * one 5xx for a client's input, 504 for a resourceVersion from the future, aside) and every failure a Status;
 * afterwards the server is healthy, every list still decodes and the objects no request aimed at are unchanged.
 */
class ApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Set -Dfuzz.seed to replay a failure; the seed in use is printed in the failure message. */
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int REQUESTS_PER_RESOURCE = 50;
    private static final String FUZZ_NS = "fuzz";
    private static final String KEEP_NS = "keep";
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml",
            "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json",
            "application/apply-patch+yaml", "application/vnd.kubernetes.protobuf", "text/plain", "application/json; charset=utf-16",
            "multipart/form-data; boundary=x", "", "*/*", "application/json;;;");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "POST", "PUT", "PATCH");
    private static final List<String> QUERY_KEYS = List.of("labelSelector", "fieldSelector", "limit", "continue", "resourceVersion",
            "resourceVersionMatch", "timeoutSeconds", "dryRun", "fieldManager", "fieldValidation", "force", "propagationPolicy",
            "gracePeriodSeconds", "orphanDependents", "allowWatchBookmarks", "sendInitialEvents", "pretty", "container", "follow",
            "tailLines", "sinceSeconds", "command", "stdin", "watch");

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Api api;
    static final Map<String, String> KEPT = new LinkedHashMap<>();

    /** One resource as discovery lists it. */
    record Resource(String groupVersion, String kind, String name, boolean namespaced, List<String> verbs) {

        String collection(String namespace) {
            String root = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
            return namespaced ? root + "/namespaces/" + namespace + "/" + name : root + "/" + name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1");
        api = new Api(server);
        for (String ns : List.of(FUZZ_NS, KEEP_NS)) {
            created(api.send("POST", "/api/v1/namespaces", "application/json",
                    ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}").getBytes()));
        }
        String cms = "/api/v1/namespaces/" + KEEP_NS + "/configmaps";
        String secrets = "/api/v1/namespaces/" + KEEP_NS + "/secrets";
        created(api.send("POST", cms, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\",\"labels\":{\"a\":\"b\"}},\"data\":{\"k\":\"v\"}}".getBytes()));
        created(api.send("POST", secrets, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"kept\"},\"stringData\":{\"password\":\"s3cret\"}}".getBytes()));
        KEPT.put(cms + "/kept", api.get(cms + "/kept").body());
        KEPT.put(secrets + "/kept", api.get(secrets + "/kept").body());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(600)
    void hostileRequestsToEveryResourceGetStatusAnswersBelow500AndLeaveOtherDataUnchanged() throws Exception {
        Random random = new Random(SEED);
        List<Resource> resources = discover();
        assertThat(resources).hasSizeGreaterThan(30);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Resource resource : resources) {
            for (int i = 0; i < REQUESTS_PER_RESOURCE; i++) {
                Request request = request(random, resource);
                String problem;
                try {
                    problem = problem(send(request));
                } catch (java.io.IOException e) {
                    problem = "no answer (" + e.getMessage() + ")";
                }
                sent++;
                if (problem != null && failures.size() < 25) {
                    failures.add(problem + " <- " + request.method + " " + request.path + " [" + request.contentType + "] "
                            + preview(request.body));
                }
            }
        }
        assertThat(failures).as("seed %d, %d requests", SEED, sent).isEmpty();
        assertThat(Api.healthy(server)).isTrue();
        for (Map.Entry<String, String> kept : KEPT.entrySet()) {
            assertThat(JSON.readTree(api.get(kept.getKey()).body())).as(kept.getKey()).isEqualTo(JSON.readTree(kept.getValue()));
        }
        for (Resource resource : resources) {
            if (resource.verbs().contains("list")) {
                String all = resource.namespaced() ? resource.collection("x").replace("/namespaces/x", "") : resource.collection("");
                assertThat(api.get(all).code()).as("seed %d: list %s after fuzzing", SEED, all).isEqualTo(200);
            }
        }
    }

    /**
     * Sends once more on a fresh connection when the pooled one was closed under the request: a server may close
     * a connection whose previous request body it refused unread, and clients (Go's too) then retry.
     */
    private static Api.Answer send(Request request) throws Exception {
        try {
            return api.send(request.method, request.path, request.contentType, request.body);
        } catch (java.io.IOException e) {
            return new Api(server).send(request.method, request.path, request.contentType, request.body);
        }
    }

    /** Why an answer breaks the contract, or null. */
    private static String problem(Api.Answer answer) {
        if (answer.code() >= 500) {
            if (answer.code() == 504 && answer.body().contains("Too large resource version")) {
                return null;
            }
            return answer.code() + " " + abbreviate(answer.body());
        }
        if (answer.code() >= 400) {
            try {
                JsonNode status = JSON.readTree(answer.body());
                if (!status.path("kind").asText().equals("Status") || !status.path("status").asText().equals("Failure")) {
                    return answer.code() + " without a Status: " + abbreviate(answer.body());
                }
            } catch (Exception e) {
                return answer.code() + " not JSON: " + abbreviate(answer.body());
            }
        }
        if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
            return answer.code() + " leaks a stack trace: " + abbreviate(answer.body());
        }
        return null;
    }

    private record Request(String method, String path, String contentType, byte[] body) {}

    private static Request request(Random random, Resource resource) {
        String method = pick(random, METHODS);
        String path = path(random, resource, method);
        String query = query(random);
        String contentType = random.nextInt(3) == 0 ? pick(random, CONTENT_TYPES) : "application/json";
        byte[] body = method.equals("GET") && random.nextBoolean() ? null : body(random, resource);
        return new Request(method, path + query, contentType.isEmpty() ? null : contentType, body);
    }

    private static String path(Random random, Resource resource, String method) {
        String namespace = random.nextInt(10) == 0 ? pick(random, List.of("no-such-ns", "UPPER", "a..b", "%2e%2e", "-")) : FUZZ_NS;
        String collection = resource.collection(namespace);
        if (method.equals("POST") && random.nextInt(4) != 0) {
            return collection;
        }
        String name = random.nextInt(3) == 0 ? weirdName(random) : "victim" + random.nextInt(3);
        String item = collection + "/" + name;
        return switch (random.nextInt(8)) {
            case 0 -> item + "/" + pick(random, List.of("status", "scale", "log", "exec", "attach", "portforward", "proxy",
                    "binding", "eviction", "token", "ephemeralcontainers", "resize", "nope", "status/extra"));
            // deleting a whole cluster-scoped collection (every namespace, node, role) is a legitimate request, not a hostile one
            case 1 -> method.equals("DELETE") && !resource.namespaced() ? item : collection;
            default -> item;
        };
    }

    private static String weirdName(Random random) {
        return pick(random, List.of("UPPER", "a_b", "-lead", "trail-", "x".repeat(300), "%00", "%2Fslash", "a%20b", "..",
                "%F0%9F%92%A5", "name%3Fq", "a.b.c", "%ff%fe"));
    }

    private static String query(Random random) {
        if (random.nextInt(3) == 0) {
            return "";
        }
        // a watch goes first, so that its timeout is the one a server taking the first value of a parameter sees
        StringBuilder q = new StringBuilder(random.nextInt(10) == 0 ? "?timeoutSeconds=1&watch=1&" : "?");
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String key = pick(random, QUERY_KEYS);
            String value = pick(random, List.of("", "-1", "0", "1", "abc", "true", "maybe", "All", "Strict", "NotOlderThan",
                    "Exact", "a%20in%20(b", "!!", "metadata.name%3Dx", "spec.x%3D%3Dy", "99999999999999999999", "1e3", "%00",
                    "Background", "Foreground", "Orphan", "x".repeat(2000)));
            if (key.equals("watch") || key.equals("follow")) {
                value = pick(random, List.of("false", "0", "maybe", "", "%00")); // a true one would stream until the timeout
            }
            q.append(i == 0 ? "" : "&").append(key).append('=').append(value);
        }
        return q.toString();
    }

    private static byte[] body(Random random, Resource resource) {
        return switch (random.nextInt(10)) {
            case 0 -> randomBytes(random);
            case 1 -> nested(random).getBytes(StandardCharsets.UTF_8);
            case 2 -> truncated(random, resource);
            case 3 -> yamlBomb().getBytes(StandardCharsets.UTF_8);
            case 4 -> jsonPatch(random).getBytes(StandardCharsets.UTF_8);
            default -> mutated(random, resource).toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(512)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String nested(Random random) {
        int depth = 1000 + random.nextInt(20_000);
        return random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static byte[] truncated(Random random, Resource resource) {
        String whole = skeleton(resource, "victim0").toString();
        return whole.substring(0, random.nextInt(whole.length())).getBytes(StandardCharsets.UTF_8);
    }

    /** The billion laughs: an API server must refuse to expand it rather than run out of memory. */
    private static String yamlBomb() {
        StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        return y.toString();
    }

    private static String jsonPatch(Random random) {
        ArrayNode ops = NODES.arrayNode();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            ObjectNode op = ops.addObject();
            op.put("op", pick(random, List.of("add", "remove", "replace", "move", "copy", "test", "explode")));
            op.put("path", pick(random, List.of("/metadata/name", "/metadata", "/spec/0", "/~2", "", "/metadata/labels/-",
                    "/kind", "/apiVersion", "/metadata/resourceVersion", "/metadata/uid", "/status", "/a/b/c/d")));
            if (random.nextBoolean()) {
                op.set("value", value(random, 2));
            }
            if (random.nextInt(4) == 0) {
                op.put("from", "/metadata");
            }
        }
        return ops.toString();
    }

    private static ObjectNode skeleton(Resource resource, String name) {
        ObjectNode object = NODES.objectNode().put("apiVersion", resource.groupVersion()).put("kind", resource.kind());
        object.putObject("metadata").put("name", name).put("namespace", FUZZ_NS).putObject("labels").put("app", "fuzz");
        ObjectNode spec = object.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put("app", "fuzz");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "fuzz");
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "busybox");
        object.putObject("data").put("k", "v");
        return object;
    }

    /** A plausible object with a few fields replaced by values of the wrong type, size or shape. */
    private static JsonNode mutated(Random random, Resource resource) {
        ObjectNode object = skeleton(resource, random.nextBoolean() ? "victim" + random.nextInt(3) : weirdName(random));
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutate(random, object, 0);
        }
        if (random.nextInt(8) == 0) {
            return value(random, 3);
        }
        return object;
    }

    private static void mutate(Random random, JsonNode node, int depth) {
        if (node instanceof ObjectNode object && !object.isEmpty()) {
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            String key = pick(random, keys);
            JsonNode child = object.get(key);
            if (depth < 4 && child.isContainerNode() && random.nextBoolean()) {
                mutate(random, child, depth + 1);
            } else if (random.nextInt(5) == 0) {
                object.remove(key);
            } else {
                object.set(key, value(random, 2));
            }
            if (random.nextInt(6) == 0) {
                object.set(pick(random, List.of("status", "spec", "metadata", "x-unknown", "", "ownerReferences", "finalizers")),
                        value(random, 2));
            }
        } else if (node instanceof ArrayNode array && !array.isEmpty()) {
            int index = random.nextInt(array.size());
            if (depth < 4 && array.get(index).isContainerNode() && random.nextBoolean()) {
                mutate(random, array.get(index), depth + 1);
            } else {
                array.set(index, value(random, 2));
            }
        }
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 12 : 9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            case 4 -> NODES.numberNode(-1);
            case 5 -> NODES.textNode("x".repeat(random.nextInt(3) == 0 ? 70_000 : 3));
            case 6 -> NODES.textNode("\u0000\uD83D\uDCA5\u202E");
            case 7 -> NODES.textNode("");
            case 8 -> NODES.numberNode(1.5);
            case 9 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    array.add(value(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    object.set(pick(random, List.of("name", "kind", "metadata", "spec", "labels", "a", "", "-", "apiVersion")),
                            value(random, depth - 1));
                }
                yield object;
            }
        };
    }

    private static List<Resource> discover() throws Exception {
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (JsonNode group : JSON.readTree(api.get("/apis").body()).path("groups")) {
            for (JsonNode version : group.path("versions")) {
                groupVersions.add(version.path("groupVersion").asText());
            }
        }
        List<Resource> resources = new ArrayList<>();
        for (String gv : groupVersions) {
            String root = gv.contains("/") ? "/apis/" + gv : "/api/" + gv;
            for (JsonNode r : JSON.readTree(api.get(root).body()).path("resources")) {
                String name = r.path("name").asText();
                if (name.contains("/")) {
                    continue; // subresources are reached from their parent's item paths
                }
                List<String> verbs = new ArrayList<>();
                r.path("verbs").forEach(v -> verbs.add(v.asText()));
                resources.add(new Resource(gv, r.path("kind").asText(), name, r.path("namespaced").asBoolean(), verbs));
            }
        }
        return resources;
    }

    private static void created(Api.Answer answer) {
        assertThat(answer.code()).as(answer.body()).isEqualTo(201);
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String preview(byte[] body) {
        return body == null ? "(no body)" : abbreviate(new String(body, StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
