package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission of claims and volumes: a claim without a class gets the default StorageClass (the
 * DefaultStorageClass plugin); claims and volumes get their protection finalizers (StorageObjectInUseProtection).
 */
class StorageAdmissionTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    private static final ResourceType CLAIMS = TYPES.find("", "v1", "persistentvolumeclaims").orElseThrow();
    private static final ResourceType CLASSES = TYPES.find("storage.k8s.io", "v1", "storageclasses").orElseThrow();

    @TempDir
    Path dir;
    Store store;
    GenericRegistry registry;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        registry.create(TYPES.find("", "v1", "namespaces").orElseThrow(), "", ns(), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aClaimWithoutClassGetsTheDefaultOne() {
        storageClass("slow", false);
        storageClass("local-path", true);

        assertThat(className(claim("a", null))).isEqualTo("local-path");
    }

    @Test
    void anExplicitClassOrAnEmptyOneIsKept() {
        storageClass("local-path", true);

        assertThat(className(claim("a", "slow"))).isEqualTo("slow");
        assertThat(className(claim("b", ""))).isEmpty();
    }

    @Test
    void withoutADefaultClassTheClaimStaysWithout() {
        storageClass("slow", false);

        assertThat(claim("a", null).path("spec").has("storageClassName")).isFalse();
    }

    @Test
    void claimsAndVolumesAreCreatedWithTheirProtectionFinalizers() {
        assertThat(claim("a", "").path("metadata").path("finalizers").toString()).isEqualTo("[\"kubernetes.io/pvc-protection\"]");
        ObjectNode pv = Json.object();
        pv.putObject("metadata").put("name", "pv");
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("capacity").put("storage", "1Gi");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("hostPath").put("path", "/srv/pv");
        ObjectNode created = registry.create(TYPES.find("", "v1", "persistentvolumes").orElseThrow(), "", pv, false);
        assertThat(created.path("metadata").path("finalizers").toString()).isEqualTo("[\"kubernetes.io/pv-protection\"]");
    }

    private void storageClass(String name, boolean isDefault) {
        ObjectNode sc = Json.object().put("provisioner", "example.com/p");
        ObjectNode meta = sc.putObject("metadata").put("name", name);
        if (isDefault) {
            meta.putObject("annotations").put("storageclass.kubernetes.io/is-default-class", "true");
        }
        registry.create(CLASSES, "", sc, false);
    }

    private ObjectNode claim(String name, String className) {
        ObjectNode claim = Json.object();
        claim.putObject("metadata").put("name", name);
        ObjectNode spec = claim.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        if (className != null) {
            spec.put("storageClassName", className);
        }
        return registry.create(CLAIMS, "ns", claim, false);
    }

    private static ObjectNode ns() {
        ObjectNode ns = Json.object();
        ns.putObject("metadata").put("name", "ns");
        return ns;
    }

    private static String className(ObjectNode claim) {
        return claim.path("spec").path("storageClassName").asText();
    }
}
