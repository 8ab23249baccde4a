package io.capstan.api.table;

/**
 * One column of a server-side Table, as meta/v1 TableColumnDefinition.
 *
 * @param type string, integer, number, boolean or date
 * @param format "name" for the name column, else usually ""
 * @param priority 0 for default columns, 1 for those only `-o wide` shows
 */
public record TableColumn(String name, String type, String format, String description, int priority) {}
