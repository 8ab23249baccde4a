package io.capstan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * `kubectl get pods -w --output-watch-events -o json` running in the background: the watch
 * events of a namespace's pods in the order the server sent them, for tests about ordering.
 */
final class PodWatch implements AutoCloseable {

    /** One watch event: ADDED, MODIFIED or DELETED, and the pod as it was then. */
    record Event(String type, JsonNode pod) {
        String name() {
            return pod.path("metadata").path("name").asText();
        }

        boolean ready() {
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    return c.path("status").asText().equals("True");
                }
            }
            return false;
        }
    }

    private final Process process;
    private final List<Event> events = new ArrayList<>();
    private final Thread reader;

    PodWatch(Kubectl kubectl, String namespace) throws Exception {
        process = kubectl.start("get", "pods", "-n", namespace, "-w", "--output-watch-events", "-o", "json");
        reader = Thread.ofVirtual().start(() -> {
            try (MappingIterator<JsonNode> it = new ObjectMapper().readerFor(JsonNode.class).readValues(process.getInputStream())) {
                while (it.hasNext()) {
                    JsonNode e = it.next();
                    synchronized (events) {
                        events.add(new Event(e.path("type").asText(), e.path("object")));
                    }
                }
            } catch (Exception | Error e) {
                // the process was stopped
            }
        });
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The position of the first event that satisfies the test, or -1. */
    int indexOf(Predicate<Event> test) {
        List<Event> all = events();
        for (int i = 0; i < all.size(); i++) {
            if (test.test(all.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        reader.interrupt();
    }
}
