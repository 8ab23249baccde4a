package io.capstan.apiserver.endpoints;

import io.capstan.apiserver.admission.AdmissionResponse;
import io.capstan.apiserver.http.Exchange;
import java.util.HashSet;
import java.util.Set;

/** Admission's warnings as the HTTP Warning headers kubectl prints, and its audit annotations on the exchange. */
final class AdmissionHeaders implements AdmissionResponse {

    private final Exchange exchange;
    private final Set<String> sent = new HashSet<>();

    AdmissionHeaders(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void warn(String text) {
        if (sent.add(text)) {
            exchange.addHeader("Warning", header(text));
        }
    }

    @Override
    public void annotate(String key, String value) {
        exchange.auditAnnotation(key, value);
    }

    /** net.NewWarningHeader: code 299, agent "-", the text quoted with " and \ escaped. */
    static String header(String text) {
        StringBuilder s = new StringBuilder("299 - \"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.append('"').toString();
    }
}
