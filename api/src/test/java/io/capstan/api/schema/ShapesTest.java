package io.capstan.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesTest {

    private static final Shape DEPLOYMENT = Shapes.BUILTIN.of(Deployment.class);
    private static final Shape POD_SPEC = DEPLOYMENT.field("spec").field("template").field("spec");

    @Test
    void containersAreAMapListByNameForBothPatchAndApply() {
        Shape containers = POD_SPEC.field("containers");
        assertThat(containers.kind()).isEqualTo(Shape.Kind.LIST);
        assertThat(containers.strategies()).contains("merge");
        assertThat(containers.mergeKey()).isEqualTo("name");
        assertThat(containers.listType()).isEqualTo(Shape.ListType.MAP);
        assertThat(containers.element().kind()).isEqualTo(Shape.Kind.STRUCT);
    }

    @Test
    void portsAreKeyedByPortAndProtocolWhichDefaultsToTcp() {
        Shape ports = POD_SPEC.field("containers").element().field("ports");
        assertThat(ports.mergeKey()).isEqualTo("containerPort");
        assertThat(ports.keys()).isEqualTo(List.of("containerPort", "protocol"));
        assertThat(ports.keyDefaults()).containsEntry("protocol", "TCP");
        assertThat(Shapes.BUILTIN.of(Service.class).field("spec").field("ports").mergeKey()).isEqualTo("port");
    }

    @Test
    void listsWithoutARuleAreAtomicAndSomeStructsToo() {
        assertThat(POD_SPEC.field("tolerations").listType()).isEqualTo(Shape.ListType.ATOMIC);
        assertThat(POD_SPEC.field("tolerations").strategies()).isEmpty();
        assertThat(DEPLOYMENT.field("spec").field("selector").atomic()).isTrue();
        assertThat(DEPLOYMENT.field("spec").field("template").atomic()).isFalse();
        assertThat(DEPLOYMENT.field("metadata").field("finalizers").listType()).isEqualTo(Shape.ListType.SET);
        assertThat(DEPLOYMENT.field("metadata").field("labels").kind()).isEqualTo(Shape.Kind.MAP);
        assertThat(DEPLOYMENT.field("spec").field("replicas").kind()).isEqualTo(Shape.Kind.SCALAR);
    }

    @Test
    void unknownFieldsAndCustomKindsHaveNoSchema() {
        assertThat(DEPLOYMENT.field("spec").field("colour")).isSameAs(Shape.UNTYPED);
        assertThat(DEPLOYMENT.field("spec").declares("replicas")).isTrue();
        assertThat(DEPLOYMENT.field("spec").declares("colour")).isFalse();
    }
}
