package io.capstan.runtime.image;

/** Told how a pull goes, so the agent can record it (Kubernetes' Pulling / Pulled events). */
public interface PullListener {

    PullListener NONE = new PullListener() {};

    default void layer(String digest, long bytes) {}
}
