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
