package io.capstan.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespace labels to policy, as api.PolicyToEvaluate reads them. */
class PolicyTest {

    private static Policy.Evaluated eval(Map<String, String> labels) {
        return Policy.fromLabels(labels, Policy.PRIVILEGED);
    }

    @Test
    void noLabelsMeanTheDefaults() {
        assertThat(eval(Map.of()).policy()).isEqualTo(Policy.PRIVILEGED);
        assertThat(Policy.PRIVILEGED.enforce().toString()).isEqualTo("privileged:latest");
    }

    @Test
    void warnFollowsAStricterEnforceLevelAndItsVersionUnlessLabelled() {
        Policy p = eval(Map.of(Policy.ENFORCE, "restricted", Policy.ENFORCE_VERSION, "v1.25")).policy();
        assertThat(p.enforce().toString()).isEqualTo("restricted:v1.25");
        assertThat(p.warn().toString()).isEqualTo("restricted:v1.25");
        assertThat(p.audit().toString()).isEqualTo("privileged:latest");

        Policy own = eval(Map.of(Policy.ENFORCE, "restricted", Policy.WARN, "baseline")).policy();
        assertThat(own.warn().toString()).isEqualTo("baseline:latest");
        Policy ownVersion = eval(Map.of(Policy.ENFORCE, "baseline", Policy.WARN_VERSION, "v1.30")).policy();
        assertThat(ownVersion.warn().toString()).isEqualTo("baseline:v1.30");
    }

    @Test
    void badEnforceFailsClosedBadAuditAndWarnFailOpenAndEachIsAnError() {
        Policy.Evaluated e = eval(Map.of(Policy.ENFORCE, "strict", Policy.WARN, "loud", Policy.AUDIT_VERSION, "1.25"));
        assertThat(e.policy().enforce().level()).isEqualTo(Level.RESTRICTED);
        assertThat(e.policy().warn().level()).isEqualTo(Level.PRIVILEGED);
        assertThat(e.policy().audit().version()).isEqualTo(Version.LATEST);
        assertThat(e.errors()).extracting(io.capstan.api.FieldError::message).containsExactly(
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.25\": must be \"latest\" or \"v1.x\"",
                "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"loud\": must be one of privileged, baseline, restricted");
    }

    @Test
    void versionsParseAsKubernetesDoes() {
        assertThat(Version.parse("latest")).contains(Version.LATEST);
        assertThat(Version.parse("v1.0")).contains(Version.of(1, 0));
        assertThat(Version.parse("v1.32")).contains(Version.of(1, 32));
        assertThat(Version.parse("v1.01")).isEmpty();
        assertThat(Version.parse("v2.0")).isEmpty();
        assertThat(Version.of(1, 99).compareTo(Version.LATEST)).isNegative();
    }
}
