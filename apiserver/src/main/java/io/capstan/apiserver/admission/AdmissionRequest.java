package io.capstan.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;

/**
 * What validating admission sees of a write: the object about to be stored (after defaults and
 * mutating admission), the stored one it replaces, and who asks.
 *
 * @param oldObject null on create
 * @param subresource "" for the object itself, else "status", "scale", ...
 * @param userName the requester (for exemptions); "" when unknown
 * @param response where warnings and audit annotations go
 */
public record AdmissionRequest(Operation operation, ResourceType type, String namespace, String name, String subresource,
                               ObjectNode object, ObjectNode oldObject, String userName, AdmissionResponse response) {

    /** The write operations validating admission is asked about. */
    public enum Operation { CREATE, UPDATE }

    public boolean isCreate() {
        return operation == Operation.CREATE;
    }
}
