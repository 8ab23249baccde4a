package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed, oversized and wrongly typed requests get 4xx Status answers and leave stored data as it was. */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CMS = "/api/v1/namespaces/default/configmaps";

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
        api = new Api(server);
        Api.Answer created = api.send("POST", CMS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"keep\"},\"data\":{\"k\":\"v\"}}".getBytes());
        assertThat(created.code()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertStatus(api.send("POST", CMS, "application/json", "{\"kind\":".getBytes()), 400, "BadRequest");
        assertStatus(api.send("PUT", CMS + "/keep", "application/json", "[1,2".getBytes()), 400, "BadRequest");
        assertStatus(api.send("PATCH", CMS + "/keep", "application/merge-patch+json", "not json".getBytes()), 400, "BadRequest");
        assertUnchanged();
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        assertStatus(api.send("POST", CMS, "text/plain", "hello".getBytes()), 415, "UnsupportedMediaType");
        assertStatus(api.send("PATCH", CMS + "/keep", "application/xml", "<a/>".getBytes()), 415, "UnsupportedMediaType");
        assertUnchanged();
    }

    @Test
    void hugeBodiesAre413() throws Exception {
        byte[] big = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\""
                + "a".repeat(4 * 1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertStatus(api.send("POST", CMS, "application/json", big), 413, "RequestEntityTooLarge");
        assertThat(api.get(CMS + "/big").code()).isEqualTo(404);
    }

    @Test
    void deeplyNestedAndWronglyTypedInputIs4xx() throws Exception {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThat(api.send("POST", CMS, "application/json", deep.getBytes()).code()).isBetween(400, 499);
        assertStatus(api.send("POST", CMS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":\"oops\"}".getBytes()), 400, "BadRequest");
        assertStatus(api.send("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json",
                ("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"t\"},"
                        + "\"spec\":{\"replicas\":\"many\"}}").getBytes()), 400, "BadRequest");
        assertStatus(api.send("POST", CMS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}".getBytes()), 400, "BadRequest");
        assertStatus(api.send("PATCH", CMS + "/keep", "application/json-patch+json",
                "[{\"op\":\"explode\",\"path\":\"/data\"}]".getBytes()), -1, null);
        assertUnchanged();
    }

    @Test
    void unknownPathsAndMethodsAreStatusErrors() throws Exception {
        assertStatus(api.get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
        assertStatus(api.get("/apis/nope.example.com/v1"), 404, "NotFound");
        assertStatus(api.get(CMS + "/absent"), 404, "NotFound");
        assertThat(JSON.readTree(api.get(CMS + "/absent").body()).path("message").asText()).isEqualTo("configmaps \"absent\" not found");
        assertStatus(api.send("POST", "/api/v1", "application/json", "{}".getBytes()), 405, "MethodNotAllowed");
        assertStatus(api.get(CMS + "?limit=abc"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?labelSelector=a%20in%20(b"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?continue=garbage"), 400, "BadRequest");
    }

    @Test
    void malformedYamlIs400() throws Exception {
        assertStatus(api.send("POST", CMS, "application/yaml", "kind: ConfigMap\nmetadata: {name: [unclosed\n".getBytes()), 400, "BadRequest");
        assertStatus(api.send("POST", CMS, "application/yaml", "- just\n- a list\n".getBytes()), 400, "BadRequest");
        assertUnchanged();
    }

    @Test
    void invalidObjectsAre422WithFieldCauses() throws Exception {
        Api.Answer answer = api.send("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", ("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"mismatch"},"spec":{"selector":{"matchLabels":{"app":"a"}},
                 "template":{"metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}""").getBytes());
        assertStatus(answer, 422, "Invalid");
        var status = JSON.readTree(answer.body());
        assertThat(status.path("message").asText()).isEqualTo("Deployment.apps \"mismatch\" is invalid: spec.template.metadata.labels: "
                + "Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`");
        assertThat(status.at("/details/name").asText()).isEqualTo("mismatch");
        assertThat(status.at("/details/group").asText()).isEqualTo("apps");
        assertThat(status.at("/details/kind").asText()).isEqualTo("Deployment");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueInvalid");
        assertThat(status.at("/details/causes/0/field").asText()).isEqualTo("spec.template.metadata.labels");
    }

    @Test
    void listOptionsAreValidatedAsKubernetesDoes() throws Exception {
        Api.Answer noVersion = api.get(CMS + "?resourceVersionMatch=Exact");
        assertStatus(noVersion, 422, "Invalid");
        assertThat(JSON.readTree(noVersion.body()).path("message").asText()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: "
                + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        assertStatus(api.get(CMS + "?resourceVersion=1&resourceVersionMatch=Latest"), 422, "Invalid");
        assertStatus(api.get(CMS + "?resourceVersion=999999999&resourceVersionMatch=Exact"), 504, "Timeout");
        assertStatus(api.get(CMS + "?labelSelector=-bad"), 400, "BadRequest");
        assertStatus(api.get("/api/v1/namespaces/default/pods?fieldSelector=spec.colour%3Dred"), 400, "BadRequest");
    }

    @Test
    void missingThingsAre404WithKubernetesMessages() throws Exception {
        assertThat(JSON.readTree(api.get("/apis/apps/v1/namespaces/default/deployments/web").body()).path("message").asText())
                .isEqualTo("deployments.apps \"web\" not found");
        Api.Answer noNamespace = api.send("POST", "/api/v1/namespaces/nowhere/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}".getBytes());
        assertStatus(noNamespace, 404, "NotFound");
        assertThat(JSON.readTree(noNamespace.body()).path("message").asText()).isEqualTo("namespaces \"nowhere\" not found");
        assertThat(JSON.readTree(api.get("/api/v1/nosuchkind").body()).path("message").asText())
                .isEqualTo("the server could not find the requested resource");
    }

    private static void assertStatus(Api.Answer answer, int code, String reason) throws Exception {
        if (code > 0) {
            assertThat(answer.code()).as(answer.body()).isEqualTo(code);
        } else {
            assertThat(answer.code()).as(answer.body()).isBetween(400, 499);
        }
        var status = JSON.readTree(answer.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        if (reason != null) {
            assertThat(status.path("reason").asText()).isEqualTo(reason);
        }
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertUnchanged() throws Exception {
        var cm = JSON.readTree(api.get(CMS + "/keep").body());
        assertThat(cm.path("data").toString()).isEqualTo("{\"k\":\"v\"}");
    }
}
