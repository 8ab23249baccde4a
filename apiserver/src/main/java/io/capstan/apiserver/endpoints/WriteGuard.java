package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.http.Exchange;

/** A check on the object a create, update, patch or apply is about to store, made with the requester in view. */
@FunctionalInterface
public interface WriteGuard {

    /** @throws io.capstan.api.StatusException when the requester may not store obj */
    void check(Exchange exchange, ResourceType type, String namespace, ObjectNode obj);

    WriteGuard NONE = (exchange, type, namespace, obj) -> {};
}
