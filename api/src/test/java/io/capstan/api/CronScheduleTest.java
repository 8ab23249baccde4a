package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    static Instant next(String spec, String after) {
        return CronSchedule.parse(spec, ZoneOffset.UTC).next(Instant.parse(after));
    }

    @Test
    void everyMinuteFiresAtTheNextWholeMinute() {
        assertThat(next("* * * * *", "2026-11-25T08:00:00Z")).isEqualTo("2026-11-25T08:01:00Z");
        assertThat(next("* * * * *", "2026-11-25T08:00:59.5Z")).isEqualTo("2026-11-25T08:01:00Z");
    }

    @Test
    void stepsRangesAndListsCombine() {
        assertThat(next("*/15 * * * *", "2026-11-25T08:01:00Z")).isEqualTo("2026-11-25T08:15:00Z");
        assertThat(next("5/20 * * * *", "2026-11-25T08:30:00Z")).isEqualTo("2026-11-25T08:45:00Z");
        assertThat(next("0 9-17/4 * * *", "2026-11-25T13:00:00Z")).isEqualTo("2026-11-25T17:00:00Z");
        assertThat(next("0,30 1 * * *", "2026-11-25T01:00:00Z")).isEqualTo("2026-11-25T01:30:00Z");
    }

    @Test
    void monthAndDayNamesAreUnderstood() {
        // 2026-11-25 is a Wednesday.
        assertThat(next("0 0 * * MON", "2026-11-25T00:00:00Z")).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(next("0 0 1 jan *", "2026-11-25T00:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("0 0 * * mon-fri", "2026-11-27T12:00:00Z")).isEqualTo("2026-11-30T00:00:00Z");
    }

    @Test
    void dayOfMonthOrDayOfWeekMatchWhenBothAreRestricted() {
        // The 1st of the month or any Friday, whichever comes first (robfig/cron and Vixie cron).
        assertThat(next("0 0 1 * FRI", "2026-11-25T00:00:00Z")).isEqualTo("2026-11-27T00:00:00Z");
        assertThat(next("0 0 1 * *", "2026-11-25T00:00:00Z")).isEqualTo("2026-12-01T00:00:00Z");
    }

    @Test
    void macrosExpand() {
        assertThat(next("@hourly", "2026-11-25T08:10:00Z")).isEqualTo("2026-11-25T09:00:00Z");
        assertThat(next("@daily", "2026-11-25T08:10:00Z")).isEqualTo("2026-11-26T00:00:00Z");
        assertThat(next("@weekly", "2026-11-25T08:10:00Z")).isEqualTo("2026-11-29T00:00:00Z");
        assertThat(next("@monthly", "2026-11-25T08:10:00Z")).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(next("@yearly", "2026-11-25T08:10:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@every 90s", "2026-11-25T08:10:00Z")).isEqualTo("2026-11-25T08:11:30Z");
    }

    @Test
    void aTimeZoneKeepsLocalWallClockTimeAcrossDaylightSaving() {
        CronSchedule nineInBerlin = CronSchedule.parse("0 9 * * *", ZoneId.of("Europe/Berlin"));
        assertThat(nineInBerlin.next(Instant.parse("2026-03-28T12:00:00Z"))).isEqualTo("2026-03-29T07:00:00Z"); // CEST
        assertThat(nineInBerlin.next(Instant.parse("2026-03-27T12:00:00Z"))).isEqualTo("2026-03-28T08:00:00Z"); // CET
        assertThat(next("CRON_TZ=America/New_York 0 9 * * *", "2026-11-25T00:00:00Z")).isEqualTo("2026-11-25T14:00:00Z");
    }

    @Test
    void anImpossibleDateNeverFires() {
        assertThat(next("0 0 30 2 *", "2026-11-25T00:00:00Z")).isNull();
    }

    @Test
    void malformedSchedulesAreRejectedWithRobfigsMessages() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *", ZoneOffset.UTC)).hasMessage("expected exactly 5 fields, found 3: [* * *]");
        assertThatThrownBy(() -> CronSchedule.parse("60 * * * *", ZoneOffset.UTC)).hasMessage("end of range (60) above maximum (59): 60");
        assertThatThrownBy(() -> CronSchedule.parse("x * * * *", ZoneOffset.UTC))
                .hasMessage("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * 7", ZoneOffset.UTC)).hasMessageContaining("above maximum (6)");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly", ZoneOffset.UTC)).hasMessage("unrecognized descriptor: @fortnightly");
    }

    @Test
    void zonesAreIanaNamesButNotLocal() {
        assertThat(CronSchedule.zoneOf("Europe/Berlin")).isPresent();
        assertThat(CronSchedule.zoneOf("UTC")).contains(ZoneOffset.UTC);
        assertThat(CronSchedule.zoneOf("Local")).isEmpty();
        assertThat(CronSchedule.zoneOf("Mars/Olympus")).isEmpty();
    }
}
