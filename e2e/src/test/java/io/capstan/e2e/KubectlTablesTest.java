package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl get prints Kubernetes' own columns for every built-in kind, with -o wide, -A, --show-labels, -L and -w. */
class KubectlTablesTest {

    /** Stands for a cell whose value depends on the clock (an age). */
    private static final String ANY = "\u0000any";

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServerWithSampleObjects() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--disable-controller-manager", "--disable-scheduler"); // statuses are set by hand here
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        kubectl.run("create", "namespace", "tables").ok();
        try (InputStream in = KubectlTablesTest.class.getResourceAsStream("/tables-fixtures.yaml")) {
            kubectl.runWithInput(new String(in.readAllBytes(), StandardCharsets.UTF_8), "create", "-f", "-").ok();
        }
        String fiveMinutesAgo = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        String aMinuteAgo = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        status("deployment", "web", "{\"replicas\":3,\"readyReplicas\":2,\"updatedReplicas\":3,\"availableReplicas\":2}");
        status("replicaset", "web-rs", "{\"replicas\":2,\"readyReplicas\":1}");
        status("statefulset", "db", "{\"replicas\":2,\"readyReplicas\":1}");
        status("daemonset", "agent", "{\"desiredNumberScheduled\":3,\"currentNumberScheduled\":3,\"numberReady\":2,"
                + "\"updatedNumberScheduled\":3,\"numberAvailable\":2,\"numberMisscheduled\":0}");
        status("job", "pi", "{\"succeeded\":1,\"startTime\":\"" + aMinuteAgo + "\"}");
        status("pod", "crashy", "{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"10.1.0.9\"}],\"podIP\":\"10.1.0.9\","
                + "\"containerStatuses\":[{\"name\":\"app\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":false,\"restartCount\":5,"
                + "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
                + "\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"" + fiveMinutesAgo + "\"}}}]}");
        status("pod", "starting", "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"setup\",\"image\":\"busybox\","
                + "\"imageID\":\"\",\"ready\":false,\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}");
        status("resourcequota", "quota", "{\"hard\":{\"pods\":\"10\",\"requests.cpu\":\"2\",\"limits.memory\":\"4Gi\"},"
                + "\"used\":{\"pods\":\"2\",\"requests.cpu\":\"500m\"}}");
        kubectl.run("patch", "node", "node-tables", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}],"
                        + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"192.168.7.7\"}],"
                        + "\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\","
                        + "\"kernelVersion\":\"6.1.0-13-amd64\",\"containerRuntimeVersion\":\"capstan://0.1.0\",\"machineID\":\"\","
                        + "\"systemUUID\":\"\",\"bootID\":\"\",\"kubeProxyVersion\":\"\",\"operatingSystem\":\"linux\","
                        + "\"architecture\":\"amd64\"}}}").ok();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static void status(String kind, String name, String status) throws Exception {
        kubectl.run("patch", kind, name, "-n", "tables", "--subresource=status", "--type=merge", "-p", "{\"status\":" + status + "}").ok();
    }

    /** kubectl get ... in the tables namespace, each line without its trailing padding. */
    private static List<String> get(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "get";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "-n";
        all[args.length + 2] = "tables";
        return kubectl.run(all).ok().out().lines().map(String::stripTrailing).toList();
    }

    /** A line made of these cells, separated by kubectl's padding. */
    private static String line(String... cells) {
        return Arrays.stream(cells).map(c -> c.equals(ANY) ? "\\S+" : Pattern.quote(c)).collect(Collectors.joining(" {2,}"));
    }

    private static void assertTable(List<String> lines, List<String> header, String... row) {
        assertThat(lines).as("header").first().asString().matches(line(header.toArray(String[]::new)));
        assertThat(lines).as("row").anyMatch(l -> l.matches(line(row)));
    }

    @Test
    void workloadsShowReplicaCountsAndWideContainers() throws Exception {
        assertTable(get("deployments"), List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"), "web", "2/3", "3", "2", ANY);
        assertTable(get("deployments", "-o", "wide"), List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES",
                "SELECTOR"), "web", "2/3", "3", "2", ANY, "nginx", "nginx:1.27", "app=web");
        assertTable(get("deployment", "web", "--subresource=scale"), List.of("NAME", "DESIRED", "AVAILABLE", "AGE"), "web", "3", "3", ANY);
        assertTable(get("deployment", "web", "--subresource=status"), List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                "web", "2/3", "3", "2", ANY);
        assertTable(get("replicasets"), List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"), "web-rs", "2", "2", "1", ANY);
        assertTable(get("statefulsets", "-o", "wide"), List.of("NAME", "READY", "AGE", "CONTAINERS", "IMAGES"),
                "db", "1/2", ANY, "pg", "postgres");
        assertTable(get("daemonsets"), List.of("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"),
                "agent", "3", "3", "2", "3", "2", "kubernetes.io/os=linux", ANY);
        assertTable(get("replicationcontrollers"), List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"), "legacy", "1", "0", "0", ANY);
        assertTable(get("podtemplates"), List.of("NAME", "CONTAINERS", "IMAGES", "POD LABELS"), "tmpl", "c", "busybox", "app=tmpl");
        assertTable(get("jobs"), List.of("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"), "pi", "Running", "1/2", ANY, ANY);
        assertTable(get("cronjobs"), List.of("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"),
                "tick", "*/5 * * * *", "Etc/UTC", "False", "0", "<none>", ANY);
        assertTable(get("controllerrevisions"), List.of("NAME", "CONTROLLER", "REVISION", "AGE"), "db-7d9", "statefulset.apps/db", "2", ANY);
        assertTable(get("hpa"), List.of("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
                "web", "Deployment/web", "cpu: <unknown>/80%", "1", "5", "0", ANY);
        assertTable(get("pdb"), List.of("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"), "web", "2", "N/A", "0", ANY);
    }

    @Test
    void podsShowComputedStatusRestartsAndWideColumns() throws Exception {
        List<String> pods = get("pods");
        assertThat(pods.getFirst()).matches(line("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
        assertThat(pods).anyMatch(l -> l.matches("crashy {2,}0/1 {2,}CrashLoopBackOff {2,}5 \\(5m(\\d+s)? ago\\) {2,}\\S+"));
        assertThat(pods).anyMatch(l -> l.matches(line("starting", "0/1", "Init:0/1", "0", ANY)));
        assertTable(get("pods", "-o", "wide"), List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                "READINESS GATES"), "starting", "0/1", "Init:0/1", "0", ANY, "<none>", "<none>", "<none>", "<none>");
        assertThat(get("pods", "crashy", "-o", "wide")).anyMatch(l -> l.matches("crashy .* 10\\.1\\.0\\.9 {2,}<none> {2,}<none> {2,}<none>"));
    }

    @Test
    void servicesAndNetworkingKinds() throws Exception {
        assertTable(get("services"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
                "exposed", "NodePort", ANY, "<none>", "443:30443/TCP", ANY);
        assertTable(get("services", "-o", "wide"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"),
                "web", "ClusterIP", ANY, "<none>", "80/TCP", ANY, "app=web");
        assertTable(get("endpoints"), List.of("NAME", "ENDPOINTS", "AGE"), "web", "10.1.0.5:8080,10.1.0.6:8080", ANY);
        assertTable(get("endpointslices"), List.of("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"),
                "web-abc", "IPv4", "8080", "10.1.0.5,10.1.0.6", ANY);
        assertTable(get("ingresses"), List.of("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"),
                "web", "nginx-tables", "web.example.com", "80", ANY);
        assertTable(get("ingressclasses"), List.of("NAME", "CONTROLLER", "PARAMETERS", "AGE"),
                "nginx-tables", "k8s.io/ingress-nginx", "<none>", ANY);
        assertTable(get("networkpolicies"), List.of("NAME", "POD-SELECTOR", "AGE"), "web-only", "app=web", ANY);
    }

    @Test
    void configRbacStorageAndSchedulingKinds() throws Exception {
        assertTable(get("configmaps"), List.of("NAME", "DATA", "AGE"), "settings", "2", ANY);
        assertTable(get("secrets"), List.of("NAME", "TYPE", "DATA", "AGE"), "creds", "Opaque", "1", ANY);
        assertTable(get("serviceaccounts"), List.of("NAME", "SECRETS", "AGE"), "builder", "0", ANY);
        assertTable(get("resourcequotas"), List.of("NAME", "REQUEST", "LIMIT", "AGE"),
                "quota", "pods: 2/10, requests.cpu: 500m/2", "limits.memory: 0/4Gi", ANY);
        assertTable(get("limitranges"), List.of("NAME", "CREATED AT"), "limits", ANY);
        assertTable(get("roles"), List.of("NAME", "CREATED AT"), "reader", ANY);
        assertThat(get("roles").get(1)).matches("reader +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertTable(get("clusterroles", "tables-viewer"), List.of("NAME", "CREATED AT"), "tables-viewer", ANY);
        assertTable(get("rolebindings", "-o", "wide"), List.of("NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"),
                "read-pods", "Role/reader", ANY, "alice", "tables/builder");
        assertTable(get("clusterrolebindings", "tables-viewers"), List.of("NAME", "ROLE", "AGE"),
                "tables-viewers", "ClusterRole/tables-viewer", ANY);
        assertTable(get("leases"), List.of("NAME", "HOLDER", "AGE"), "leader", "capstan-1", ANY);
        assertTable(get("priorityclasses", "tables-high"), List.of("NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"),
                "tables-high", "100000", "false", ANY);
        assertTable(get("runtimeclasses"), List.of("NAME", "HANDLER", "AGE"), "tables-runc", "runc", ANY);
        assertTable(get("storageclasses", "fast-tables"), List.of("NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION", "AGE"), "fast-tables (default)", "capstan.io/local-path", "Delete", "WaitForFirstConsumer", "false", ANY);
        assertTable(get("persistentvolumes", "pv-tables"), List.of("NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM",
                "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"), "pv-tables", "1Gi", "RWO", "Retain", ANY, "manual", "<unset>", ANY);
        assertTable(get("persistentvolumeclaims"), List.of("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS", "AGE"), "data", "Pending", "manual", "<unset>", ANY);
        assertTable(get("customresourcedefinitions"), List.of("NAME", "CREATED AT"), "widgets.tables.capstan.io", ANY);
    }

    @Test
    void eventsOfBothApisShowLastSeenTypeReasonObjectMessage() throws Exception {
        List<String> header = List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        assertTable(get("events"), header, ANY, "Warning", "BackOff", "pod/crashy", "Back-off restarting failed container");
        assertTable(get("events.events.k8s.io"), header, ANY, "Normal", "ScalingReplicaSet", "deployment/web",
                "Scaled up replica set web-1 to 3");
        assertTable(get("events", "-o", "wide"), List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE",
                "FIRST SEEN", "COUNT", "NAME"), ANY, "Warning", "BackOff", "pod/crashy", "kubelet, node-1",
                "Back-off restarting failed container", ANY, "3", "crashy.1");
    }

    @Test
    void nodesAndNamespacesShowTheirStatus() throws Exception {
        assertTable(get("nodes"), List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"), "node-tables", "Ready", "worker", ANY, "v1.32.0");
        assertTable(get("nodes", "-o", "wide"), List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP",
                "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"), "node-tables", "Ready", "worker", ANY, "v1.32.0", "192.168.7.7",
                "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-13-amd64", "capstan://0.1.0");
        assertTable(get("namespaces"), List.of("NAME", "STATUS", "AGE"), "tables", "Active", ANY);
    }

    @Test
    void allNamespacesShowLabelsAndLabelColumnsUseTheFullObjects() throws Exception {
        List<String> all = kubectl.run("get", "deployments", "-A").ok().out().lines().toList();
        assertTable(all, List.of("NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"), "tables", "web", "2/3", "3", "2", ANY);
        assertTable(get("deployments", "--show-labels"), List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "LABELS"),
                "web", "2/3", "3", "2", ANY, "app=web");
        assertTable(get("pods", "-L", "app"), List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "APP"), "starting", "0/1", "Init:0/1",
                "0", ANY);
        assertThat(get("pods", "-L", "app")).anyMatch(l -> l.startsWith("crashy") && l.endsWith(" crashy"));
    }

    @Test
    void tableWatchEventsCarryOneRowAndColumnsOnlyInTheFirst() throws Exception {
        Api.Answer answer = new Api(server).get("/api/v1/namespaces/tables/pods?watch=1&resourceVersion=0&timeoutSeconds=1",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json;as=Table;v=v1;g=meta.k8s.io");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String l : answer.body().lines().filter(l -> !l.isBlank()).toList()) {
            events.add(json.readTree(l));
        }
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("ADDED");
            assertThat(e.path("object").path("kind").asText()).isEqualTo("Table");
            assertThat(e.path("object").path("rows")).hasSize(1);
            assertThat(e.path("object").path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        });
        assertThat(events.get(0).path("object").path("columnDefinitions")).hasSize(9);
        assertThat(events.get(1).path("object").path("columnDefinitions").isNull()).isTrue();
        assertThat(events.stream().map(e -> e.path("object").path("rows").get(0).path("cells").get(0).asText()))
                .containsExactlyInAnyOrder("crashy", "starting");
    }

    @Test
    void unknownIncludeObjectIsRefused() throws Exception {
        Api.Answer answer = new Api(server).get("/api/v1/namespaces/tables/pods?includeObject=All",
                "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.body()).contains("unrecognized includeObject value: \\\"All\\\"");
    }

    @Test
    void watchPrintsTheChangedRow() throws Exception {
        try (Kubectl.Following watch = kubectl.follow("get", "statefulsets", "-n", "tables", "-w")) {
            List<String> lines = watch.lines();
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.matches(line("db", "1/2", ANY))));
            status("statefulset", "db", "{\"readyReplicas\":2}");
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.matches(line("db", "2/2", ANY))));
            assertThat(lines.getFirst()).matches(line("NAME", "READY", "AGE"));
            assertThat(lines).filteredOn(l -> l.startsWith("NAME")).hasSize(1);
        }
    }
}
