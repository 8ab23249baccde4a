package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The events of one open watch, read line by line; closing it ends the request. */
public final class WatchStream implements AutoCloseable {

    private final InputStream body;
    private final BufferedReader reader;

    WatchStream(InputStream body) {
        this.body = body;
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or empty when the server ended the watch (timeout, shutdown). */
    public Optional<WatchEvent> next() throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return Optional.empty();
            }
        } while (line.isBlank());
        JsonNode event = Json.MAPPER.readTree(line);
        JsonNode object = event.path("object");
        return Optional.of(new WatchEvent(event.path("type").asText(), object.isObject() ? (ObjectNode) object : Json.object()));
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // closing a broken stream is fine
        }
    }
}
