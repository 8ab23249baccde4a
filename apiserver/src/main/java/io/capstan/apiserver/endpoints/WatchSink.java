package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.apiserver.http.WebSocketChannel;
import java.io.IOException;
import java.io.OutputStream;

/** Where a watch's events go: newline-delimited JSON over chunked HTTP, or one text message per event over a WebSocket. */
sealed interface WatchSink {

    void send(String type, ObjectNode object) throws IOException;

    void flush() throws IOException;

    static ObjectNode event(String type, ObjectNode object) {
        ObjectNode event = Json.object().put("type", type);
        event.set("object", object);
        return event;
    }

    /** Kubernetes' streaming watch: one JSON document per line in a chunked body. */
    record OverHttp(OutputStream out) implements WatchSink {
        @Override
        public void send(String type, ObjectNode object) throws IOException {
            out.write(Json.bytes(event(type, object)));
            out.write('\n');
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    /** Kubernetes' WebSocket watch: each event a text frame, as kube-apiserver frames JSON. */
    record OverWebSocket(WebSocketChannel channel) implements WatchSink {
        @Override
        public void send(String type, ObjectNode object) throws IOException {
            channel.sendText(Json.MAPPER.writeValueAsString(event(type, object)));
        }

        @Override
        public void flush() {
            // every message is sent when send returns
        }
    }
}
