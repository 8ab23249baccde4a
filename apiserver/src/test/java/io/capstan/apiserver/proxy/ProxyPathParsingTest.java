package io.capstan.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.apiserver.http.RequestInfo;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ProxyPathParsingTest {

    @Test
    void namesTakeAPortAndASchemeAsKubernetesSplitsThem() {
        assertThat(SchemeNamePort.parse("web")).contains(new SchemeNamePort("", "web", ""));
        assertThat(SchemeNamePort.parse("web:8080")).contains(new SchemeNamePort("", "web", "8080"));
        assertThat(SchemeNamePort.parse("web:http")).contains(new SchemeNamePort("", "web", "http"));
        assertThat(SchemeNamePort.parse("https:web:443")).contains(new SchemeNamePort("https", "web", "443"));
        assertThat(SchemeNamePort.parse("http:web:")).contains(new SchemeNamePort("http", "web", ""));
    }

    @Test
    void otherSchemesEmptyNamesAndExtraColonsAreInvalid() {
        assertThat(SchemeNamePort.parse("ftp:web:21")).isEmpty();
        assertThat(SchemeNamePort.parse(":8080")).isEmpty();
        assertThat(SchemeNamePort.parse("a:b:c:d")).isEmpty();
    }

    @Test
    void onlyADigitPortIsANumber() {
        assertThat(new SchemeNamePort("", "web", "8080").portNumber()).isEqualTo(8080);
        assertThat(new SchemeNamePort("", "web", "http").portNumber()).isEqualTo(-1);
        assertThat(new SchemeNamePort("", "web", "").portNumber()).isEqualTo(-1);
    }

    @Test
    void theBackendPathIsWhatFollowsProxyKeepingTheTrailingSlash() {
        assertThat(ProxyPath.rest("/api/v1/namespaces/default/pods/web:8080/proxy/a/b/", "pods", "web:8080")).isEqualTo("/a/b/");
        assertThat(ProxyPath.rest("/api/v1/namespaces/default/services/web/proxy/", "services", "web")).isEqualTo("/");
        assertThat(ProxyPath.rest("/api/v1/nodes/n1/proxy", "nodes", "n1")).isEmpty();
    }

    @Test
    void theTargetKeepsTheRawQueryAndEncodesThePath() {
        assertThat(ProxySubresources.target(URI.create("http://10.0.0.5:8080"), "/a b/", "x=1&y=%2F"))
                .hasToString("http://10.0.0.5:8080/a%20b/?x=1&y=%2F");
        assertThat(ProxySubresources.target(URI.create("https://[fd00::1]:443"), "/", null)).hasToString("https://[fd00::1]:443/");
    }

    @Test
    void aProxyPathIsAuthorizedAsTheProxySubresource() {
        RequestInfo info = RequestInfo.parse("POST", "/api/v1/namespaces/default/pods/web:8080/proxy/submit/form", false);
        assertThat(info.subresource()).isEqualTo("proxy");
        assertThat(info.name()).isEqualTo("web:8080");
        assertThat(info.verb()).isEqualTo("create");
        assertThat(RequestInfo.parse("GET", "/api/v1/nodes/n1/proxy/stats/summary", false).subresource()).isEqualTo("proxy");
    }

    @Test
    void onlyGlobalUnicastPodAddressesAreDialled() {
        assertThat(ProxyLocations.globalUnicast("10.42.0.5")).isTrue();
        assertThat(ProxyLocations.globalUnicast("127.0.0.1")).isFalse();
        assertThat(ProxyLocations.globalUnicast("169.254.169.254")).isFalse();
        assertThat(ProxyLocations.globalUnicast("0.0.0.0")).isFalse();
        assertThat(ProxyLocations.globalUnicast("")).isFalse();
        assertThat(ProxyLocations.globalUnicast("example.com")).isFalse();
    }
}
