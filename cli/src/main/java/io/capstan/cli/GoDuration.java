package io.capstan.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations as Kubernetes flags take them ("300s", "5m", "1h30m", "500ms"), plain seconds, or ISO-8601 ("PT5M"). */
final class GoDuration implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < v.length()) {
            int start = i;
            while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < v.length() && Character.isLetter(v.charAt(i))) {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw new IllegalArgumentException("invalid duration \"" + value + "\" (use e.g. 30s, 5m, 1h)");
            }
            double amount = Double.parseDouble(v.substring(start, unitStart));
            long nanosPerUnit = switch (v.substring(unitStart, i)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("invalid duration \"" + value + "\" (units: ms, s, m, h)");
            };
            total = total.plusNanos((long) (amount * nanosPerUnit));
        }
        return total;
    }
}
