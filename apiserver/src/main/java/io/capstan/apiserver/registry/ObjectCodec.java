package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.store.KeyValue;

/** Turns stored bytes into objects and back; resourceVersion is the store revision, never stored. */
public final class ObjectCodec {

    private ObjectCodec() {}

    public static ObjectNode decode(KeyValue kv) {
        ObjectNode obj = Json.parseObject(kv.value());
        Json.with(obj, "metadata").put("resourceVersion", Long.toString(kv.modRevision()));
        return obj;
    }

    public static byte[] encode(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove("resourceVersion");
        }
        return Json.bytes(copy);
    }
}
