package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LimitRange defaults and limits and ResourceQuota admission and status with the real kubectl. */
class QuotaTest {

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLimitRangeDefaultsContainersAndRefusesOnesOverItsMax() throws Exception {
        kubectl.run("create", "namespace", "limited").ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: cpu, namespace: limited}
                spec:
                  limits:
                  - type: Container
                    max: {cpu: 500m}
                    default: {cpu: 300m, memory: 128Mi}
                    defaultRequest: {cpu: 100m}
                """, "apply", "-f", "-").ok();

        kubectl.run("run", "small", "--image=busybox", "-n", "limited").ok();
        String resources = kubectl.run("get", "pod", "small", "-n", "limited", "-o",
                "jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.limits.cpu} "
                        + "{.spec.containers[0].resources.requests.memory}|{.metadata.annotations.kubernetes\\.io/limit-ranger}").ok().out();
        assertThat(resources).isEqualTo("100m 300m 128Mi|LimitRanger plugin set: cpu, memory request for container small; "
                + "cpu, memory limit for container small");

        Kubectl.Result big = kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: big, namespace: limited}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources: {limits: {cpu: "1"}}
                """, "apply", "-f", "-");
        assertThat(big.exit()).isNotZero();
        assertThat(big.err()).contains("pods \"big\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1");
    }

    @Test
    void aPodQuotaRefusesTheThirdPodAndItsUsedCountFollowsDeletes() throws Exception {
        kubectl.run("create", "namespace", "quoted").ok();
        kubectl.run("create", "quota", "pods", "--hard=pods=2", "-n", "quoted").ok();
        kubectl.run("run", "a", "--image=busybox", "-n", "quoted").ok();
        kubectl.run("run", "b", "--image=busybox", "-n", "quoted").ok();

        Kubectl.Result third = kubectl.run("run", "c", "--image=busybox", "-n", "quoted");
        assertThat(third.exit()).isNotZero();
        assertThat(third.err()).contains("Error from server (Forbidden): pods \"c\" is forbidden: "
                + "exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kubectl.run("get", "resourcequota", "pods", "-n", "quoted", "-o", "jsonpath={.status.used.pods}/{.status.hard.pods}")
                        .ok().out()).isEqualTo("2/2"));
        assertThat(kubectl.run("describe", "quota", "pods", "-n", "quoted").ok().out()).containsPattern("pods\\s+2\\s+2");

        kubectl.run("delete", "pod", "a", "-n", "quoted").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kubectl.run("describe", "quota", "pods", "-n", "quoted").ok().out()).containsPattern("pods\\s+1\\s+2"));
        kubectl.run("run", "c", "--image=busybox", "-n", "quoted").ok();
        assertThat(kubectl.run("get", "resourcequota", "-n", "quoted").ok().out()).containsPattern("pods\\s+.*pods: 2/2");
    }

    @Test
    void aQuotaOnCpuLimitsWantsThemStatedAndCountsThem() throws Exception {
        kubectl.run("create", "namespace", "cpu").ok();
        kubectl.run("create", "quota", "compute", "--hard=limits.cpu=1", "-n", "cpu").ok();

        Kubectl.Result bare = kubectl.run("run", "bare", "--image=busybox", "-n", "cpu");
        assertThat(bare.err()).contains("pods \"bare\" is forbidden: failed quota: compute: must specify limits.cpu for: bare");

        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: NAME, namespace: cpu}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources: {limits: {cpu: 600m}}
                """;
        kubectl.runWithInput(pod.replace("NAME", "one"), "apply", "-f", "-").ok();
        Kubectl.Result two = kubectl.runWithInput(pod.replace("NAME", "two"), "apply", "-f", "-");
        assertThat(two.err()).contains("pods \"two\" is forbidden: exceeded quota: compute, requested: limits.cpu=600m, "
                + "used: limits.cpu=600m, limited: limits.cpu=1");
    }
}
