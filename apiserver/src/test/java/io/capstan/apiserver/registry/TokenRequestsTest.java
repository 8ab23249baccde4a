package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.ServiceAccountAuthenticator;
import io.capstan.apiserver.auth.ServiceAccountTokens;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenRequest and the authenticator together: what a token is good for, and when it stops being. */
class TokenRequestsTest {

    static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    static final List<String> AUDIENCES = List.of(ServiceAccountTokens.ISSUER);

    @TempDir
    Path dir;
    SqliteStore store;
    GenericRegistry registry;
    TokenRequests requests;
    ServiceAccountAuthenticator authenticator;

    @BeforeEach
    void open() throws Exception {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        registry.serviceAccountAdmission(true);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ServiceAccountTokens tokens = new ServiceAccountTokens(g.generateKeyPair());
        requests = new TokenRequests(registry, tokens, AUDIENCES, Clock.systemUTC());
        authenticator = new ServiceAccountAuthenticator(tokens, registry::find, AUDIENCES, Clock.systemUTC());
        registry.create(Kinds.NAMESPACES, "", named("default"), false);
        registry.create(Kinds.SERVICE_ACCOUNTS, "default", named("default"), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode named(String name) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name);
        return o;
    }

    private ObjectNode pod(String name, ObjectNode extraSpec) {
        ObjectNode pod = named(name);
        ObjectNode spec = pod.putObject("spec");
        spec.setAll(extraSpec);
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        return registry.create(Kinds.PODS, "default", pod, false);
    }

    private String token(ObjectNode spec) {
        ObjectNode request = Json.object();
        request.set("spec", spec);
        return Json.text(requests.create("default", "default", request), "status", "token");
    }

    private Optional<UserInfo> who(String token) {
        return authenticator.authenticate(token);
    }

    @Test
    void aTokenAuthenticatesAsTheServiceAccountWithItsGroups() throws Exception {
        UserInfo user = who(token(Json.object())).orElseThrow();
        assertThat(user.name()).isEqualTo("system:serviceaccount:default:default");
        assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated");
        assertThat(user.uid()).isEqualTo(Json.text(registry.get(Kinds.SERVICE_ACCOUNTS, "default", "default"), "metadata", "uid"));
    }

    @Test
    void theAnswerDefaultsAudiencesAndAnHourLifetime() {
        ObjectNode request = Json.object();
        request.putObject("spec");
        ObjectNode answer = requests.create("default", "default", request);
        assertThat(answer.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(answer.path("spec").path("audiences").get(0).asText()).isEqualTo(ServiceAccountTokens.ISSUER);
        assertThat(answer.path("status").path("expirationTimestamp").asText()).isNotEmpty();
    }

    @Test
    void aTokenForAnotherAudienceDoesNotAuthenticate() throws Exception {
        ObjectNode spec = Json.object();
        spec.putArray("audiences").add("vault");
        assertThat(who(token(spec))).isEmpty();
    }

    @Test
    void aTokenReviewForItsOwnAudienceAuthenticatesItAndNamesThatAudience() throws Exception {
        ObjectNode spec = Json.object();
        spec.putArray("audiences").add("vault").add("db");
        String token = token(spec);
        var found = authenticator.authenticateToken(token, List.of("db", "other")).orElseThrow();
        assertThat(found.user().name()).isEqualTo("system:serviceaccount:default:default");
        assertThat(found.audiences()).containsExactly("db");
        assertThat(authenticator.authenticateToken(token, List.of("other"))).isEmpty();
    }

    @Test
    void lifetimesUnderTenMinutesAreInvalid() {
        assertThatThrownBy(() -> token(Json.object().put("expirationSeconds", 599)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage())
                        .contains("spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes"));
    }

    @Test
    void aTokenBoundToAPodEndsWithThePod() throws Exception {
        pod("p", Json.object());
        ObjectNode spec = Json.object();
        spec.putObject("boundObjectRef").put("kind", "Pod").put("apiVersion", "v1").put("name", "p");
        String token = token(spec);
        assertThat(who(token).orElseThrow().extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("p"));
        registry.delete(Kinds.PODS, "default", "p", new DeleteOptions(0L, null, null, null, false));
        assertThat(registry.find(Kinds.PODS, "default", "p")).isEmpty();
        assertThat(who(token)).isEmpty();
    }

    @Test
    void aTokenEndsWhenItsServiceAccountIsRecreated() throws Exception {
        String token = token(Json.object());
        registry.delete(Kinds.SERVICE_ACCOUNTS, "default", "default", DeleteOptions.DEFAULT);
        registry.create(Kinds.SERVICE_ACCOUNTS, "default", named("default"), false);
        assertThat(who(token)).isEmpty();
    }

    @Test
    void admissionMountsTheTokenVolumeInEveryContainer() {
        ObjectNode pod = pod("mounted", Json.object());
        ObjectNode spec = (ObjectNode) pod.get("spec");
        assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
        String volume = spec.path("volumes").get(0).path("name").asText();
        assertThat(volume).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(spec.path("volumes").get(0).path("projected").path("sources").get(0).path("serviceAccountToken")
                .path("expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(spec.path("volumes").get(0).path("projected").path("sources").get(1).path("configMap").path("name").asText())
                .isEqualTo("kube-root-ca.crt");
        assertThat(spec.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText())
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(spec.path("containers").get(0).path("volumeMounts").get(0).path("readOnly").asBoolean()).isTrue();
    }

    @Test
    void admissionHonoursAutomountFalseOnThePodOrTheServiceAccount() {
        ObjectNode pod = pod("plain", Json.object().put("automountServiceAccountToken", false));
        assertThat(pod.path("spec").path("volumes").isMissingNode() || pod.path("spec").path("volumes").isEmpty()).isTrue();

        ObjectNode sa = named("quiet").put("automountServiceAccountToken", false);
        registry.create(Kinds.SERVICE_ACCOUNTS, "default", sa, false);
        ObjectNode quiet = pod("quiet", Json.object().put("serviceAccountName", "quiet"));
        assertThat(quiet.path("spec").path("volumes").isMissingNode() || quiet.path("spec").path("volumes").isEmpty()).isTrue();
        assertThat(quiet.path("spec").path("containers").get(0).has("volumeMounts")).isFalse();
    }
}
