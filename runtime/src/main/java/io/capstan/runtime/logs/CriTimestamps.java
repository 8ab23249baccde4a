package io.capstan.runtime.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The timestamp form the kubelet writes and prints: RFC 3339 with exactly nine fraction digits, in UTC. */
final class CriTimestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(ZoneOffset.UTC);

    private CriTimestamps() {}

    static String format(Instant time) {
        return FORMAT.format(time);
    }
}
