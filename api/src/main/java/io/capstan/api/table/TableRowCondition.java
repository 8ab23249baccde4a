package io.capstan.api.table;

/** A condition on one Table row, as meta/v1 TableRowCondition (Kubernetes marks finished pods "Completed"). */
public record TableRowCondition(String type, String status, String reason, String message) {}
