package io.capstan.agent.stats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Pods whose readings a test sets. */
final class FakePodStats implements PodStats {

    final List<PodReading> pods = new CopyOnWriteArrayList<>();

    @Override
    public List<PodReading> pods() {
        return List.copyOf(pods);
    }
}
