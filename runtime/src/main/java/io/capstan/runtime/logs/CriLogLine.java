package io.capstan.runtime.logs;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One physical line of a CRI log file: {@code <RFC 3339 time> <stdout|stderr> <P|F>[:more tags] <content>}.
 * A {@code P} (partial) line continues on the next line of the same stream; {@code F} ends the message.
 */
record CriLogLine(Instant time, String stream, boolean partial, byte[] content) {

    /** Parses one line without its newline; null when the line is not in the CRI format (it is skipped, as the kubelet does). */
    static CriLogLine parse(byte[] line, int length) {
        int t = indexOf(line, 0, length);
        int s = t < 0 ? -1 : indexOf(line, t + 1, length);
        if (s < 0) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, 0, t, US_ASCII),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        String stream = new String(line, t + 1, s - t - 1, US_ASCII);
        int tagEnd = indexOf(line, s + 1, length);
        int end = tagEnd < 0 ? length : tagEnd;
        // Tags are colon-separated; the first says partial or full (older runtimes wrote no tag at all).
        String tags = new String(line, s + 1, end - s - 1, US_ASCII);
        boolean partial = tags.split(":", 2)[0].equals("P");
        byte[] content = tagEnd < 0 ? new byte[0] : Arrays.copyOfRange(line, tagEnd + 1, length);
        return new CriLogLine(time, stream, partial, content);
    }

    private static int indexOf(byte[] line, int from, int length) {
        for (int i = from; i < length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
