package io.capstan.api.table;

/**
 * One additionalPrinterColumns entry of a CustomResourceDefinition version.
 *
 * @param type integer, number, string, boolean or date
 * @param jsonPath a simple path such as {@code .spec.replicas} or {@code .status.conditions[0].type}
 * @param format e.g. "name", or "" for none
 */
public record PrinterColumn(String name, String type, String format, String jsonPath, int priority, String description) {}
