package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();

    @Test
    void deploymentsGetReplicasStrategyAndPodDefaults() {
        ObjectNode d = apply("apps", "deployments", """
                {"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"spec":{"containers":[
                 {"name":"c","image":"nginx","ports":[{"containerPort":80}]},{"name":"d","image":"nginx:1.27"}]}}}}""");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(d.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(d.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}");
        assertThat(d.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(d.at("/spec/template/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(d.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(d.at("/spec/template/spec/schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(d.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).as("untagged means latest").isEqualTo("Always");
        assertThat(d.at("/spec/template/spec/containers/1/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(d.at("/spec/template/spec/containers/0/terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(d.at("/spec/template/spec/containers/0/ports/0/protocol").asText()).isEqualTo("TCP");
    }

    @Test
    void givenValuesAreKept() {
        ObjectNode d = apply("apps", "deployments", """
                {"spec":{"replicas":0,"strategy":{"type":"Recreate"},"template":{"spec":{"restartPolicy":"Always",
                 "containers":[{"name":"c","image":"nginx:latest","imagePullPolicy":"Never"}]}}}}""");
        assertThat(d.at("/spec/replicas").asInt()).isZero();
        assertThat(d.at("/spec/strategy").toString()).as("Recreate has no rollingUpdate").isEqualTo("{\"type\":\"Recreate\"}");
        assertThat(d.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertThat(pullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(pullPolicy("registry:5000/nginx")).isEqualTo("Always");
        assertThat(pullPolicy("registry:5000/nginx:1.2")).isEqualTo("IfNotPresent");
        assertThat(pullPolicy("nginx@sha256:abc")).isEqualTo("IfNotPresent");
    }

    @Test
    void servicesGetTypeAffinityFamiliesAndTargetPorts() {
        ObjectNode s = apply("", "services", "{\"spec\":{\"ports\":[{\"port\":80},{\"port\":53,\"protocol\":\"UDP\",\"targetPort\":\"dns\"}]}}");
        assertThat(s.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(s.at("/spec/sessionAffinity").asText()).isEqualTo("None");
        assertThat(s.at("/spec/ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(s.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
        assertThat(s.at("/spec/internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(s.at("/spec/ports/0").toString()).isEqualTo("{\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80}");
        assertThat(s.at("/spec/ports/1/targetPort").asText()).isEqualTo("dns");
        ObjectNode external = apply("", "services", "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}}");
        assertThat(external.at("/spec").has("ipFamilies")).isFalse();
    }

    @Test
    void jobsAndCronJobsGetCompletionDefaults() {
        ObjectNode job = apply("batch", "jobs", "{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[]}}}}");
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
        ObjectNode parallel = apply("batch", "jobs", "{\"spec\":{\"parallelism\":3,\"template\":{\"spec\":{}}}}");
        assertThat(parallel.at("/spec").has("completions")).as("a work queue job has no completions").isFalse();
        ObjectNode cron = apply("batch", "cronjobs", "{\"spec\":{\"schedule\":\"* * * * *\",\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{}}}}}}");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cron.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cron.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cron.at("/spec/jobTemplate/spec/backoffLimit").asInt()).isEqualTo(6);
    }

    @Test
    void namespacesSecretsAndClaimsGetTheirDefaults() {
        ObjectNode ns = apply("", "namespaces", "{\"metadata\":{\"name\":\"a\"}}");
        assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        assertThat(ns.at("/status/phase").asText()).isEqualTo("Active");
        assertThat(apply("", "secrets", "{}").path("type").asText()).isEqualTo("Opaque");
        assertThat(apply("", "secrets", "{\"type\":\"kubernetes.io/tls\"}").path("type").asText()).isEqualTo("kubernetes.io/tls");
        assertThat(apply("", "persistentvolumeclaims", "{\"spec\":{}}").at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
    }

    @Test
    void statefulSetsAndDaemonSetsGetUpdateStrategies() {
        ObjectNode sts = apply("apps", "statefulsets", "{\"spec\":{\"template\":{\"spec\":{}}}}");
        assertThat(sts.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(sts.at("/spec/updateStrategy").toString()).isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}");
        assertThat(sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText()).isEqualTo("Retain");
        ObjectNode ds = apply("apps", "daemonsets", "{\"spec\":{\"template\":{\"spec\":{}}}}");
        assertThat(ds.at("/spec/updateStrategy").toString()).isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}");
    }

    @Test
    void defaultingTwiceChangesNothing() {
        ObjectNode once = apply("apps", "deployments", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}}}");
        ObjectNode twice = once.deepCopy();
        Defaults.apply(TYPES.find("apps", "v1", "deployments").orElseThrow(), twice);
        assertThat(twice).isEqualTo(once);
    }

    private static String pullPolicy(String image) {
        return apply("", "pods", "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}")
                .at("/spec/containers/0/imagePullPolicy").asText();
    }

    private static ObjectNode apply(String group, String plural, String json) {
        ObjectNode obj = Json.parseObject(json.getBytes());
        Defaults.apply(TYPES.find(group, "v1", plural).orElseThrow(), obj);
        return obj;
    }
}
