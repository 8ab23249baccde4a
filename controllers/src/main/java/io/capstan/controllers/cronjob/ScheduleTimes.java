package io.capstan.controllers.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.CronSchedule;
import java.time.Duration;
import java.time.Instant;

/** When a CronJob should have started last, and when next: Kubernetes' mostRecentScheduleTime and nextScheduleTimeDuration. */
final class ScheduleTimes {

    /** The pad after a schedule time before looking again, for clock skew (Kubernetes' nextScheduleDelta). */
    static final Duration DELTA = Duration.ofMillis(100);

    /** How many start times passed unmet. */
    enum Missed { NONE, FEW, MANY }

    /**
     * @param earliest the last schedule time (or creation), moved up to the starting deadline when asked
     * @param mostRecent the latest start time not after now, or null when none is due
     */
    record Recent(Instant earliest, Instant mostRecent, Missed missed) {}

    private ScheduleTimes() {}

    /** The most recent unmet start; IllegalStateException for a schedule that never fires or fires less than a second apart. */
    static Recent mostRecent(JsonNode cronJob, Instant now, CronSchedule schedule, boolean includeStartingDeadline) {
        Instant earliest = instant(cronJob.path("metadata").path("creationTimestamp").asText(""));
        Instant last = instant(cronJob.path("status").path("lastScheduleTime").asText(""));
        if (last != null) {
            earliest = last;
        }
        if (earliest == null) {
            earliest = now;
        }
        JsonNode deadline = cronJob.path("spec").path("startingDeadlineSeconds");
        if (includeStartingDeadline && deadline.isNumber()) {
            Instant schedulingDeadline = now.minusSeconds(deadline.asLong());
            if (schedulingDeadline.isAfter(earliest)) {
                earliest = schedulingDeadline;
            }
        }
        Instant t1 = schedule.next(earliest);
        if (t1 == null) {
            throw new IllegalStateException("time difference between two schedules is less than 1 second");
        }
        Instant t2 = schedule.next(t1);
        if (now.isBefore(t1)) {
            return new Recent(earliest, null, Missed.NONE);
        }
        if (t2 == null || now.isBefore(t2)) {
            return new Recent(earliest, t1, Missed.NONE);
        }
        long between = Math.round(Duration.between(t1, t2).toMillis() / 1000.0);
        if (between < 1) {
            throw new IllegalStateException("time difference between two schedules is less than 1 second");
        }
        long missedCount = Duration.between(t1, now).toSeconds() / between + 1;
        // Jump close to now, then let the schedule find the exact last time (irregular schedules differ from the estimate).
        Instant potentialEarliest = t1.plusSeconds((missedCount - 2) * between);
        Instant mostRecent = null;
        for (Instant t = schedule.next(potentialEarliest); t != null && !t.isAfter(now); t = schedule.next(t)) {
            mostRecent = t;
        }
        Missed missed = missedCount > 100 ? Missed.MANY : missedCount > 0 ? Missed.FEW : Missed.NONE;
        return new Recent(earliest, mostRecent, missed);
    }

    /** How long until the next start after the most recent one, plus {@link #DELTA}: the requeue, never a poll. */
    static Duration untilNext(JsonNode cronJob, Instant now, CronSchedule schedule) {
        Instant from;
        try {
            Recent r = mostRecent(cronJob, now, schedule, false);
            from = r.mostRecent() != null ? r.mostRecent() : r.missed() == Missed.NONE ? r.earliest() : now;
        } catch (IllegalStateException e) {
            from = now;
        }
        Instant next = schedule.next(from);
        return next == null ? null : Duration.between(now, next.plus(DELTA));
    }

    static Instant instant(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
