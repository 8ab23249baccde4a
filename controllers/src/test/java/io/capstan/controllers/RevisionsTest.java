package io.capstan.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import org.junit.jupiter.api.Test;

class RevisionsTest {

    @Test
    void theHashIgnoresFieldOrderAndNullFieldsButNotTheCollisionCount() throws Exception {
        JsonNode a = Json.MAPPER.readTree("{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}");
        JsonNode b = Json.MAPPER.readTree("{\"spec\":{\"containers\":[{\"name\":\"c\"}]},\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}}}");

        assertThat(Revisions.hash(a, 0)).isEqualTo(Revisions.hash(b, 0)).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(Revisions.hash(a, 1)).isNotEqualTo(Revisions.hash(a, 0));
        assertThat(Revisions.hash(a, null)).isNotEqualTo(Revisions.hash(a, 0));
    }

    @Test
    void aRevisionRestoresTheTemplateItWasMadeFrom() throws Exception {
        ObjectNode owner = (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web","namespace":"ns","uid":"u1"},
                 "spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");

        ObjectNode data = Revisions.templatePatch(owner);
        ObjectNode rev = Revisions.newRevision(owner, "abc", Json.object().put("app", "web"), data, 3);

        assertThat(data.at("/spec/template/$patch").asText()).isEqualTo("replace");
        assertThat(Revisions.template(rev)).isEqualTo(owner.at("/spec/template"));
        assertThat(rev.at("/metadata/name").asText()).isEqualTo("web-abc");
        assertThat(rev.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("u1");
        assertThat(Revisions.number(rev)).isEqualTo(3);
        assertThat(Revisions.sameData(rev, Json.object().set("data", Revisions.templatePatch(owner)))).isTrue();
    }
}
