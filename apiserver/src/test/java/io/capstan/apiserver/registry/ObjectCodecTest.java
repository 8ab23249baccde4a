package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.store.KeyValue;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {

    @Test
    void theResourceVersionIsTheRevisionAndNeverStored() {
        ObjectNode obj = Json.parseObject("{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"},\"data\":{\"k\":\"v\"}}".getBytes());
        byte[] stored = ObjectCodec.encode(obj);
        assertThat(Json.parseObject(stored).path("metadata").has("resourceVersion")).isFalse();
        assertThat(obj.path("metadata").path("resourceVersion").asText()).as("the caller's object is untouched").isEqualTo("7");
        ObjectNode decoded = ObjectCodec.decode(new KeyValue("/registry/configmaps/default/a", stored, 40, 42));
        assertThat(decoded.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        assertThat(decoded.path("data").path("k").asText()).isEqualTo("v");
    }
}
