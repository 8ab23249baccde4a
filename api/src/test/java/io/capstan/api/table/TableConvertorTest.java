package io.capstan.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableConvertorTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();

    private static List<String> headersOf(String apiVersion, String kind) {
        ResourceType type = TYPES.findKind(apiVersion, kind).orElseThrow();
        return Objects.defaultHeaders(TableConvertor.forType(type));
    }

    @Test
    void everyBuiltinKindHasKubernetesColumns() {
        for (ResourceType type : TYPES.all()) {
            TableConvertor convertor = TableConvertor.forType(type);
            assertThat(convertor).as(type.kind()).isNotSameAs(DefaultTableConvertor.INSTANCE);
            assertThat(convertor.columns().stream().filter(c -> "name".equals(c.format())).count()).as(type.kind()).isEqualTo(1);
        }
    }

    @Test
    void kubectlHeadersOfCommonKinds() {
        assertThat(headersOf("v1", "Pod")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
        assertThat(headersOf("apps/v1", "Deployment")).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(headersOf("events.k8s.io/v1", "Event")).isEqualTo(headersOf("v1", "Event"));
        assertThat(headersOf("rbac.authorization.k8s.io/v1", "ClusterRole")).containsExactly("NAME", "CREATED AT");
        assertThat(headersOf("apiextensions.k8s.io/v1", "CustomResourceDefinition")).containsExactly("NAME", "CREATED AT");
        assertThat(headersOf("v1", "LimitRange")).containsExactly("NAME", "CREATED AT");
    }

    @Test
    void unknownKindsGetNameAndAge() {
        ResourceType crontab = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
                List.of(), List.of(), Set.of(), null);
        assertThat(Objects.headers(TableConvertor.forType(crontab))).containsExactly("NAME", "AGE");
    }
}
