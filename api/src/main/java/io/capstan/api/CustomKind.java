package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a CustomResourceDefinition says of one served version of its kind, beyond the REST mapping.
 *
 * @param crdName the definition's name, "plural.group"
 * @param listKind the kind of lists, e.g. "CronTabList"
 * @param schema the version's openAPIV3Schema (null when the definition gives none)
 * @param scale where the scale subresource reads and writes (null when not declared)
 * @param printerColumns the version's additionalPrinterColumns (an array, possibly empty)
 */
public record CustomKind(String crdName, String listKind, JsonNode schema, ScalePaths scale, JsonNode printerColumns) {

    /**
     * The scale subresource's paths, as JSON paths like ".spec.replicas".
     *
     * @param labelSelectorPath null when not declared
     */
    public record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {}
}
