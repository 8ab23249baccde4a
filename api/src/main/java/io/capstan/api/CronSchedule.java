package io.capstan.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule as Kubernetes reads it (robfig/cron's ParseStandard): five fields (minute,
 * hour, day of month, month, day of week) with lists, ranges, steps, month and day names, the
 * macros @yearly … @hourly and @every, and an optional TZ= or CRON_TZ= prefix. Times are matched
 * in the schedule's zone, so a 09:00 schedule stays at 09:00 local time across DST changes.
 */
public final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;
    private final Duration every;
    private final ZoneId zone;

    private CronSchedule(Field[] fields, Duration every, ZoneId zone) {
        this.minutes = fields == null ? null : fields[0].bits;
        this.hours = fields == null ? null : fields[1].bits;
        this.daysOfMonth = fields == null ? null : fields[2].bits;
        this.months = fields == null ? null : fields[3].bits;
        this.daysOfWeek = fields == null ? null : fields[4].bits;
        this.domStar = fields != null && fields[2].star;
        this.dowStar = fields != null && fields[4].star;
        this.every = every;
        this.zone = zone;
    }

    private record Field(BitSet bits, boolean star) {}

    /** Parses a schedule, matched in zone unless it carries its own TZ= prefix; IllegalArgumentException says what is wrong as robfig/cron does. */
    public static CronSchedule parse(String spec, ZoneId zone) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty spec string");
        }
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            int space = s.indexOf(' ');
            String name = s.substring(s.indexOf('=') + 1, space < 0 ? s.length() : space);
            zone = zoneOf(name).orElseThrow(() -> new IllegalArgumentException("provided bad location " + name + ": unknown time zone " + name));
            s = space < 0 ? "" : s.substring(space + 1).trim();
        }
        if (s.startsWith("@every ")) {
            Duration d = GoDuration.parse(s.substring("@every ".length()).trim());
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                d = Duration.ofSeconds(1);
            }
            return new CronSchedule(null, d, zone);
        }
        if (s.startsWith("@")) {
            String expanded = MACROS.get(s.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + s);
            }
            s = expanded;
        }
        String[] parts = s.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + parts.length + ": [" + String.join(" ", parts) + "]");
        }
        Field[] fields = {
            field(parts[0], 0, 59, List.of()), field(parts[1], 0, 23, List.of()), field(parts[2], 1, 31, List.of()),
            field(parts[3], 1, 12, MONTHS), field(parts[4], 0, 6, DAYS)};
        return new CronSchedule(fields, null, zone);
    }

    /** The zone named by an IANA name (not "Local"), as Go's time.LoadLocation finds it. */
    public static java.util.Optional<ZoneId> zoneOf(String name) {
        if (name.isEmpty() || name.equals("UTC")) {
            return java.util.Optional.of(ZoneOffset.UTC);
        }
        if (name.equalsIgnoreCase("Local") || !ZoneId.getAvailableZoneIds().contains(name)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The first activation strictly after t, or null when there is none within five years (such as February 30th). */
    public Instant next(Instant t) {
        if (every != null) {
            return t.truncatedTo(ChronoUnit.SECONDS).plus(every);
        }
        ZonedDateTime z = t.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = z.getYear() + 5;
        while (z.getYear() <= lastYear) {
            if (!months.get(z.getMonthValue())) {
                z = z.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
            } else if (!dayMatches(z)) {
                z = z.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(z.getHour())) {
                z = z.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(z.getMinute())) {
                z = z.plusMinutes(1);
            } else {
                return z.toInstant();
            }
        }
        return null;
    }

    /** robfig/cron: when either day field is a bare *, both must match; otherwise either may. */
    private boolean dayMatches(ZonedDateTime z) {
        boolean dom = daysOfMonth.get(z.getDayOfMonth());
        boolean dow = daysOfWeek.get(z.getDayOfWeek().getValue() % 7);
        return domStar || dowStar ? dom && dow : dom || dow;
    }

    private static Field field(String expr, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        boolean star = false;
        for (String part : expr.split(",", -1)) {
            star |= range(part, min, max, names, bits);
        }
        return new Field(bits, star);
    }

    /** Adds one range ("*", "a", "a-b", with an optional "/step") to bits; true when it was a bare * or ?. */
    private static boolean range(String expr, int min, int max, List<String> names, BitSet bits) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        boolean star = false;
        int start;
        int end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = min;
            end = max;
            star = true;
        } else {
            start = value(lowAndHigh[0], names, min);
            end = switch (lowAndHigh.length) {
                case 1 -> start;
                case 2 -> value(lowAndHigh[1], names, min);
                default -> throw new IllegalArgumentException("too many hyphens: " + expr);
            };
        }
        int step = 1;
        switch (rangeAndStep.length) {
            case 1 -> { }
            case 2 -> {
                step = number(rangeAndStep[1]);
                if (single && !star) {
                    end = max; // "N/step" means "N-max/step"
                }
                if (step > 1) {
                    star = false;
                }
            }
            default -> throw new IllegalArgumentException("too many slashes: " + expr);
        }
        if (start < min) {
            throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + min + "): " + expr);
        }
        if (end > max) {
            throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + max + "): " + expr);
        }
        if (start > end) {
            throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) {
            throw new IllegalArgumentException("step of range should be a positive number: " + expr);
        }
        for (int i = start; i <= end; i += step) {
            bits.set(i);
        }
        return star;
    }

    private static int value(String s, List<String> names, int min) {
        int i = names.indexOf(s.toLowerCase(Locale.ROOT));
        return i >= 0 ? i + min : number(s);
    }

    private static int number(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new IllegalArgumentException("negative number (" + n + ") not allowed: " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse int from " + s + ": strconv.Atoi: parsing \"" + s + "\": invalid syntax");
        }
    }

    /** Go's time.ParseDuration for the units a schedule uses (h, m, s, ms). */
    private static final class GoDuration {
        static Duration parse(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)").matcher(s);
            Duration total = Duration.ZERO;
            int at = 0;
            while (m.find() && m.start() == at) {
                double n = Double.parseDouble(m.group(1));
                long millis = (long) (n * switch (m.group(2)) {
                    case "h" -> 3_600_000;
                    case "m" -> 60_000;
                    case "s" -> 1000;
                    default -> 1;
                });
                total = total.plusMillis(millis);
                at = m.end();
            }
            if (at == 0 || at != s.length()) {
                throw new IllegalArgumentException("failed to parse duration @every " + s + ": time: invalid duration \"" + s + "\"");
            }
            return total;
        }
    }
}
