package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import java.util.Map;
import java.util.Optional;

/** The API verbs a controller uses to act; failures are the StatusException the server answered. */
public interface Api {

    ObjectNode get(ResourceType type, String namespace, String name);

    /** The object, or empty when it does not exist. */
    Optional<ObjectNode> find(ResourceType type, String namespace, String name);

    ObjectNode create(ResourceType type, String namespace, ObjectNode object);

    /** POST to an object's subresource, such as pods/NAME/binding or pods/NAME/eviction. */
    ObjectNode createSubresource(ResourceType type, String namespace, String name, String subresource, ObjectNode body);

    /** PUT of the object, or of a subresource such as "status" or "finalize". */
    ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode object);

    ObjectNode patch(ResourceType type, String namespace, String name, String subresource, String patchType, JsonNode patch);

    /**
     * DELETE with DeleteOptions.
     *
     * @param propagationPolicy Orphan, Background, Foreground or null for the kind's default
     * @param preconditionUid only delete the object with this uid (null: any)
     */
    ObjectNode delete(ResourceType type, String namespace, String name, String propagationPolicy, String preconditionUid);

    /** DELETE with a grace period of 0, as a kubelet removes a pod whose containers have stopped. */
    ObjectNode deleteImmediately(ResourceType type, String namespace, String name, String preconditionUid);

    /** Every object matching the query (labelSelector, fieldSelector), following continue tokens. */
    ListPage listAll(ResourceType type, String namespace, Map<String, String> query);
}
