package io.capstan.agent.pods;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's crash-loop back-off, one entry per container (key: pod uid + container name): the first
 * restart is immediate, then 10 s, doubling to at most 300 s; an entry expires (the next crash starts over
 * at 10 s) once the container finished more than twice the maximum (10 min) after the last restart.
 */
public final class RestartBackOff {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(300);

    private final InstantSource clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new HashMap<>();

    private record Entry(Duration backOff, Instant lastUpdate) {}

    public RestartBackOff(InstantSource clock) {
        this(clock, INITIAL, MAX);
    }

    public RestartBackOff(InstantSource clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** The stable key of a container across its restarts. */
    public static String key(String podUid, String containerName) {
        return podUid + "/" + containerName;
    }

    /**
     * Asks whether an exited container (finished at {@code finishedAt}) may restart now. Empty when it may, and
     * then the next back-off is recorded (as the kubelet's {@code doBackOff} calls {@code Next}); otherwise how long
     * the current back-off is, for the CrashLoopBackOff message.
     */
    public synchronized Optional<Duration> tryRestart(String key, Instant finishedAt) {
        Entry entry = entries.get(key);
        if (entry != null && !expired(finishedAt, entry) && Duration.between(finishedAt, clock.instant()).compareTo(entry.backOff) < 0) {
            return Optional.of(entry.backOff);
        }
        Duration next = entry == null || expired(finishedAt, entry) ? initial : min(entry.backOff.multipliedBy(2), max);
        entries.put(key, new Entry(next, clock.instant()));
        return Optional.empty();
    }

    /** When a container in back-off may next restart (its finish time plus the current back-off); empty when it may now. */
    public synchronized Optional<Instant> restartAt(String key, Instant finishedAt) {
        Entry entry = entries.get(key);
        if (entry == null || expired(finishedAt, entry)) {
            return Optional.empty();
        }
        Instant at = finishedAt.plus(entry.backOff);
        return at.isAfter(clock.instant()) ? Optional.of(at) : Optional.empty();
    }

    /** The current back-off of a container; zero when it has none. */
    public synchronized Duration current(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Duration.ZERO : entry.backOff;
    }

    /** Forgets a container (its pod was deleted). */
    public synchronized void forget(String key) {
        entries.remove(key);
    }

    /** Drops entries not updated for twice the maximum, as the kubelet's periodic GC does. */
    public synchronized void collect() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> expired(now, e));
    }

    // The kubelet's hasExpired: the event is more than 2 × max after the last restart.
    private boolean expired(Instant eventTime, Entry entry) {
        return Duration.between(entry.lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
