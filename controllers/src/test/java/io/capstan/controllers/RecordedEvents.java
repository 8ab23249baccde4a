package io.capstan.controllers;

import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import java.util.List;
import java.util.Map;

/** For tests: the events a controller recorded through a FakeApi (namespace default), one line each. */
public final class RecordedEvents {

    private RecordedEvents() {}

    /** "type reason involvedObjectName: message", e.g. "Normal NoPods pdb: No matching pods found". */
    public static List<String> of(FakeApi api) {
        return api.listAll(Kinds.EVENTS, "default", Map.of()).items().stream()
                .map(e -> e.path("type").asText() + " " + e.path("reason").asText() + " " + e.path("involvedObject").path("name").asText()
                        + ": " + e.path("message").asText()).toList();
    }
}
