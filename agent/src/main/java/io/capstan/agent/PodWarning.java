package io.capstan.agent;

/** A Warning event the agent should record on the pod: reason and message, worded as the kubelet words them. */
public record PodWarning(String reason, String message) {}
