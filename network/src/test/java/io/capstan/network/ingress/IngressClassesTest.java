package io.capstan.network.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngressClassesTest {

    private final IngressClasses classes = IngressClasses.of(List.of(IngressClasses.defaultClass(), Yaml.object("""
            metadata: {name: nginx}
            spec: {controller: k8s.io/ingress-nginx}
            """)));

    @Test
    void servesItsOwnClassesAndIngressesWithoutAClass() {
        assertThat(classes.handles(Yaml.object("spec: {ingressClassName: capstan}"))).isTrue();
        assertThat(classes.handles(Yaml.object("spec: {}"))).isTrue();
        assertThat(classes.handles(Yaml.object("metadata: {annotations: {kubernetes.io/ingress.class: capstan}}"))).isTrue();
    }

    @Test
    void leavesOtherControllersClassesAndUnknownClassesAlone() {
        assertThat(classes.handles(Yaml.object("spec: {ingressClassName: nginx}"))).isFalse();
        assertThat(classes.handles(Yaml.object("spec: {ingressClassName: missing}"))).isFalse();
        assertThat(classes.handles(Yaml.object("metadata: {annotations: {kubernetes.io/ingress.class: nginx}}"))).isFalse();
    }

    @Test
    void defaultClassIsMarkedDefault() {
        assertThat(IngressClasses.defaultClass().at("/metadata/annotations").path(IngressClasses.DEFAULT_CLASS_ANNOTATION).asText())
                .isEqualTo("true");
        assertThat(IngressClasses.defaultClass().at("/spec/controller").asText()).isEqualTo("capstan.io/ingress");
    }
}
