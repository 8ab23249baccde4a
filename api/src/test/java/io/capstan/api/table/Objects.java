package io.capstan.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Hand-built objects from YAML, a fixed "now", and a way to read one row as kubectl sees it. */
final class Objects {

    /** Every test's clock. */
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    private Objects() {}

    static ObjectNode yaml(String yaml) {
        try {
            return (ObjectNode) Json.YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A timestamp this long before {@link #NOW}, e.g. ago("5m"). */
    static String ago(String duration) {
        return NOW.minus(java.time.Duration.parse("PT" + duration.toUpperCase())).toString();
    }

    static List<String> headers(TableConvertor convertor) {
        return convertor.columns().stream().map(c -> c.name().toUpperCase()).toList();
    }

    /** The column names kubectl prints without -o wide. */
    static List<String> defaultHeaders(TableConvertor convertor) {
        return convertor.columns().stream().filter(c -> c.priority() == 0).map(c -> c.name().toUpperCase()).toList();
    }

    static List<Object> row(TableConvertor convertor, String yaml) {
        return convertor.cells(yaml(yaml), NOW);
    }
}
