package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CustomResourceDefinitions through the real kubectl: serving, validation, pruning, subresources, deletion, restart. */
class CustomResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CACHES = new AtomicInteger();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A definition of kind {@code kind} with plural {@code plural}s in group {@code group}, like the CronTab of Kubernetes' docs. */
    static String definition(String plural, String kind, String group, String shortName) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: %1$s.%3$s
                spec:
                  group: %3$s
                  scope: Namespaced
                  names:
                    plural: %1$s
                    singular: %2$s
                    kind: %4$s
                    shortNames: [%5$s]
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources:
                      status: {}
                      scale:
                        specReplicasPath: .spec.replicas
                        statusReplicasPath: .status.replicas
                    schema:
                      openAPIV3Schema:
                        type: object
                        description: A scheduled job, as an example.
                        properties:
                          spec:
                            type: object
                            description: What to run and when.
                            required: [cronSpec]
                            properties:
                              cronSpec:
                                type: string
                                description: When to run, in cron syntax.
                                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                              image:
                                type: string
                              replicas:
                                type: integer
                                minimum: 1
                                default: 1
                          status:
                            type: object
                            properties:
                              replicas:
                                type: integer
                """.formatted(plural, kind.toLowerCase(), group, kind, shortName);
    }

    static String object(String kind, String group, String name, String spec) {
        return "apiVersion: " + group + "/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
    }

    private static void define(String plural, String kind, String group, String shortName) throws Exception {
        assertThat(kubectl.runWithInput(definition(plural, kind, group, shortName), "apply", "-f", "-").ok().out())
                .contains("customresourcedefinition.apiextensions.k8s.io/" + plural + "." + group + " created");
    }

    /** A kubectl with an empty discovery cache, as a new user would have. */
    private static Kubectl freshKubectl() {
        return new Kubectl(server.kubeconfig(), dir.resolve("cache-" + CACHES.incrementAndGet()));
    }

    @Test
    void applyDefinitionThenObjectsAndGetThemByPluralAndShortName() throws Exception {
        define("crontabs", "CronTab", "stable.example.com", "ct");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode crd = JSON.readTree(kubectl.run("get", "crd", "crontabs.stable.example.com", "-o", "json").ok().out());
            assertThat(crd.at("/status/conditions").findValuesAsText("type")).contains("Established", "NamesAccepted");
            assertThat(crd.at("/metadata/finalizers/0").asText()).isEqualTo("customresourcecleanup.apiextensions.k8s.io");
        });

        assertThat(kubectl.runWithInput(object("CronTab", "stable.example.com", "nightly", "  cronSpec: '* * * * */5'\n  image: busybox\n"),
                "apply", "-f", "-").ok().out()).contains("crontab.stable.example.com/nightly created");
        assertThat(kubectl.run("get", "crontabs").ok().out()).contains("nightly");
        assertThat(kubectl.run("get", "ct", "nightly", "-o", "name").ok().out().trim()).isEqualTo("crontab.stable.example.com/nightly");
        JsonNode got = JSON.readTree(kubectl.run("get", "crontab", "nightly", "-o", "json").ok().out());
        assertThat(got.at("/spec/replicas").asInt()).as("default from the schema").isEqualTo(1);
        assertThat(kubectl.run("api-resources", "--api-group=stable.example.com").ok().out())
                .containsPattern("crontabs\\s+ct\\s+stable.example.com/v1\\s+true\\s+CronTab");

        assertThat(kubectl.runWithInput(object("CronTab", "stable.example.com", "nightly", "  cronSpec: '0 * * * *'\n  image: busybox\n"),
                "apply", "-f", "-").ok().out()).contains("crontab.stable.example.com/nightly configured");
        assertThat(kubectl.run("get", "ct", "nightly", "-o", "jsonpath={.spec.cronSpec}").ok().out()).isEqualTo("0 * * * *");
    }

    @Test
    void invalidObjectsAreRefusedWithKubernetesMessages() throws Exception {
        define("backups", "Backup", "invalid.example.com", "bk");
        Kubectl.Result wrongType = kubectl.runWithInput(object("Backup", "invalid.example.com", "b1",
                "  cronSpec: '* * * * *'\n  replicas: three\n"), "apply", "-f", "-");
        assertThat(wrongType.exit()).isNotZero();
        assertThat(wrongType.err()).contains("The Backup \"b1\" is invalid")
                .contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");

        Kubectl.Result several = kubectl.runWithInput(object("Backup", "invalid.example.com", "b2", "  replicas: 0\n"), "create", "-f", "-");
        assertThat(several.err()).contains("spec.cronSpec: Required value")
                .contains("spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1");

        Kubectl.Result unknown = kubectl.runWithInput(object("Backup", "invalid.example.com", "b3", "  cronSpec: '* * * * *'\n  colour: red\n"),
                "create", "-f", "-");
        assertThat(unknown.err()).contains("strict decoding error: unknown field \"spec.colour\"");
        kubectl.runWithInput(object("Backup", "invalid.example.com", "b3", "  cronSpec: '* * * * *'\n  colour: red\n"),
                "create", "--validate=false", "-f", "-").ok();
        assertThat(kubectl.run("get", "bk", "b3", "-o", "jsonpath={.spec}").ok().out()).as("pruned")
                .doesNotContain("colour").contains("cronSpec");
    }

    @Test
    void invalidDefinitionsAreRefused() throws Exception {
        Kubectl.Result misnamed = kubectl.runWithInput(definition("widgets", "Widget", "bad.example.com", "wd")
                .replace("name: widgets.bad.example.com", "name: widget.bad.example.com"), "create", "-f", "-");
        assertThat(misnamed.exit()).isNotZero();
        assertThat(misnamed.err()).contains("The CustomResourceDefinition \"widget.bad.example.com\" is invalid")
                .contains("metadata.name: Invalid value: \"widget.bad.example.com\": must be spec.names.plural+\".\"+spec.group");
        Kubectl.Result twoStorage = kubectl.runWithInput(definition("widgets", "Widget", "bad.example.com", "wd")
                .replace("storage: true", "storage: false"), "create", "-f", "-");
        assertThat(twoStorage.err()).contains("must have exactly one version marked as storage version");
    }

    @Test
    void statusAndScaleSubresources() throws Exception {
        define("jobs", "Job", "status.example.com", "sj");
        kubectl.runWithInput(object("Job", "status.example.com", "j1", "  cronSpec: '* * * * *'\n"), "create", "-f", "-").ok();
        kubectl.run("patch", "jobs.status.example.com", "j1", "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"replicas\":2}}").ok();
        assertThat(kubectl.run("get", "sj", "j1", "-o", "jsonpath={.status.replicas}").ok().out()).isEqualTo("2");
        kubectl.run("patch", "sj", "j1", "--type=merge", "-p", "{\"status\":{\"replicas\":9}}").ok();
        assertThat(kubectl.run("get", "sj", "j1", "-o", "jsonpath={.status.replicas}").ok().out())
                .as("the main resource ignores status").isEqualTo("2");

        assertThat(kubectl.run("scale", "sj", "j1", "--replicas=4").ok().out()).contains("scaled");
        assertThat(kubectl.run("get", "sj", "j1", "-o", "jsonpath={.spec.replicas}").ok().out()).isEqualTo("4");
    }

    @Test
    void explainShowsTheDefinitionsSchema() throws Exception {
        define("reports", "Report", "explain.example.com", "rp");
        String out = freshKubectl().run("explain", "reports.spec").ok().out();
        assertThat(out).contains("KIND:       Report", "What to run and when.")
                .containsPattern("cronSpec\\s+<string> -required-").contains("When to run, in cron syntax.");
    }

    @Test
    void deletingTheDefinitionStopsServingAndDeletesObjects() throws Exception {
        define("gadgets", "Gadget", "gone.example.com", "gd");
        kubectl.runWithInput(object("Gadget", "gone.example.com", "g1", "  cronSpec: '* * * * *'\n"), "create", "-f", "-").ok();
        kubectl.run("delete", "crd", "gadgets.gone.example.com").ok();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(freshKubectl().run("get", "gadgets").err())
                .contains("error: the server doesn't have a resource type \"gadgets\""));
        assertThat(kubectl.run("get", "crd", "gadgets.gone.example.com").err()).contains("NotFound");

        define("gadgets", "Gadget", "gone.example.com", "gd");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(freshKubectl().run("get", "gadgets", "-o", "name").ok().out()).as("objects went with the definition").isBlank());
    }

    @Test
    void aRestartedServerServesStoredDefinitions() throws Exception {
        define("tickets", "Ticket", "restart.example.com", "tk");
        kubectl.runWithInput(object("Ticket", "restart.example.com", "t1", "  cronSpec: '* * * * *'\n"), "create", "-f", "-").ok();
        assertThat(server.terminate()).isIn(0, 143);
        server.launch();
        assertThat(freshKubectl().run("get", "tk", "-o", "name").ok().out().trim()).isEqualTo("ticket.restart.example.com/t1");
        Kubectl.Result invalid = kubectl.runWithInput(object("Ticket", "restart.example.com", "t2", "  cronSpec: nope\n"), "create", "-f", "-");
        assertThat(invalid.err()).as("the schema is enforced after a restart too").contains("spec.cronSpec in body should match");
    }
}
