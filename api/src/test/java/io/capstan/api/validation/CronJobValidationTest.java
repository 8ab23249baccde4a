package io.capstan.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobValidationTest {

    static ObjectNode cronJob(String schedule, String timeZone) {
        ObjectNode cj = Json.parseObject(("""
                {"metadata":{"name":"nightly","namespace":"default"},"spec":{"schedule":"%s","jobTemplate":{"spec":{"template":
                {"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}}}""").formatted(schedule).getBytes());
        if (timeZone != null) {
            Json.with(cj, "spec").put("timeZone", timeZone);
        }
        return cj;
    }

    static List<String> errors(ObjectNode cj) {
        return new ObjectValidator().validateCreate(Kinds.CRON_JOBS, cj).stream().map(FieldError::message).toList();
    }

    @Test
    void aValidCronJobPasses() {
        assertThat(errors(cronJob("*/5 * * * *", "Europe/Berlin"))).isEmpty();
    }

    @Test
    void anUnknownTimeZoneIsInvalid() {
        assertThat(errors(cronJob("* * * * *", "Mars/Olympus")))
                .containsExactly("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
        assertThat(errors(cronJob("* * * * *", "Local"))).singleElement().asString()
                .contains("timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
    }

    @Test
    void aBadScheduleIsInvalid() {
        assertThat(errors(cronJob("61 * * * *", null)))
                .containsExactly("spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
        assertThat(errors(cronJob("TZ=UTC * * * * *", "UTC"))).singleElement().asString()
                .contains("cannot use both timeZone field and TZ or CRON_TZ in schedule");
    }

    @Test
    void theJobTemplateIsValidatedAsAJob() {
        ObjectNode cj = cronJob("* * * * *", null);
        Json.with(cj, "spec", "jobTemplate", "spec", "template", "spec").put("restartPolicy", "Always");
        assertThat(errors(cj)).singleElement().asString().startsWith("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value");
    }
}
