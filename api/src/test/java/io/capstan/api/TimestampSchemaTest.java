package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Timestamp fields such as a Lease's renewTime are RFC 3339 strings on the wire, and nothing else. */
class TimestampSchemaTest {

    static final ResourceType LEASES = Kinds.LEASES;

    @Test
    void aLeaseWithAMicroTimeStringPasses() throws Exception {
        var lease = Json.MAPPER.readTree("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n"},
                 "spec":{"holderIdentity":"n","leaseDurationSeconds":40,"renewTime":"2026-11-25T08:12:57.729123Z"}}""");
        assertThatCode(() -> new SchemaChecker().checkTypes(LEASES, lease)).doesNotThrowAnyException();
    }

    @Test
    void aNumberWhereAMicroTimeBelongsIsABadRequest() throws Exception {
        var lease = Json.MAPPER.readTree("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n"},"spec":{"renewTime":12}}""");
        assertThatThrownBy(() -> new SchemaChecker().checkTypes(LEASES, lease)).isInstanceOf(StatusException.class)
                .hasMessageContaining("spec.renewTime");
    }
}
