package io.capstan.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Warning headers as kube-apiserver writes them, so kubectl unquotes them back to the text. */
class AdmissionHeadersTest {

    @Test
    void quotesAndBackslashesAreEscapedInsideA299Warning() {
        assertThat(AdmissionHeaders.header("would violate PodSecurity \"baseline:latest\": a\\b"))
                .isEqualTo("299 - \"would violate PodSecurity \\\"baseline:latest\\\": a\\\\b\"");
    }
}
