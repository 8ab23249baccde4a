package io.capstan.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestInfoTest {

    @Test
    void namespacedObjectWithSubresource() {
        RequestInfo i = RequestInfo.parse("PUT", "/apis/apps/v1/namespaces/prod/deployments/web/scale", false);
        assertThat(i).isEqualTo(new RequestInfo(true, "update", "apps", "v1", "prod", "deployments", "web", "scale"));
    }

    @Test
    void collectionsListWatchAndDeleteCollection() {
        assertThat(RequestInfo.parse("GET", "/api/v1/pods", false).verb()).isEqualTo("list");
        assertThat(RequestInfo.parse("GET", "/api/v1/namespaces/a/pods", true).verb()).isEqualTo("watch");
        assertThat(RequestInfo.parse("GET", "/api/v1/watch/namespaces/a/pods", false).verb()).isEqualTo("watch");
        assertThat(RequestInfo.parse("DELETE", "/api/v1/namespaces/a/pods", false).verb()).isEqualTo("deletecollection");
        assertThat(RequestInfo.parse("POST", "/api/v1/namespaces/a/pods", false).verb()).isEqualTo("create");
    }

    @Test
    void namespacesAreClusterScopedWithTheirOwnSubresources() {
        RequestInfo ns = RequestInfo.parse("GET", "/api/v1/namespaces/kube-system", false);
        assertThat(ns.resource()).isEqualTo("namespaces");
        assertThat(ns.name()).isEqualTo("kube-system");
        assertThat(ns.namespace()).isEmpty();
        RequestInfo status = RequestInfo.parse("PUT", "/api/v1/namespaces/x/status", false);
        assertThat(status.resource()).isEqualTo("namespaces");
        assertThat(status.subresource()).isEqualTo("status");
    }

    @Test
    void nonResourcePaths() {
        assertThat(RequestInfo.parse("GET", "/version", false).resourceRequest()).isFalse();
        assertThat(RequestInfo.parse("GET", "/apis/apps/v1", false).resourceRequest()).isFalse();
        assertThat(RequestInfo.parse("GET", "/api", false).resourceRequest()).isFalse();
    }

    @Test
    void repeatedAndTrailingSlashesAreIgnored() {
        assertThat(RequestInfo.segments("//api/v1//pods/")).containsExactly("api", "v1", "pods");
        assertThat(RequestInfo.segments("/")).containsExactly("");
        assertThat(RequestInfo.parse("GET", "/api/v1/namespaces/a/pods/", false).verb()).isEqualTo("list");
    }
}
