package io.capstan.scheduler.framework;

/** A node taint: key, value and effect (NoSchedule, PreferNoSchedule or NoExecute). */
public record Taint(String key, String value, String effect) {}
