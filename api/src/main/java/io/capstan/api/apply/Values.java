package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.util.Iterator;

/** Ordering, equality and printing of JSON values as structured-merge-diff does them. */
final class Values {

    private Values() {}

    /** A total order: numbers, strings, booleans, lists, maps, null. */
    static int compare(JsonNode a, JsonNode b) {
        int r = Integer.compare(rank(a), rank(b));
        if (r != 0) {
            return r;
        }
        return switch (rank(a)) {
            case 0 -> a.decimalValue().compareTo(b.decimalValue());
            case 1 -> a.asText().compareTo(b.asText());
            case 2 -> Boolean.compare(a.asBoolean(), b.asBoolean());
            case 3 -> {
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    int c = compare(a.get(i), b.get(i));
                    if (c != 0) {
                        yield c;
                    }
                }
                yield Integer.compare(a.size(), b.size());
            }
            case 4 -> a.toString().compareTo(b.toString());
            default -> 0;
        };
    }

    private static int rank(JsonNode n) {
        if (n.isNumber()) {
            return 0;
        }
        if (n.isTextual()) {
            return 1;
        }
        if (n.isBoolean()) {
            return 2;
        }
        if (n.isArray()) {
            return 3;
        }
        return n.isObject() ? 4 : 5;
    }

    /** Deep equality where 1 and 1.0 are equal. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<String> names = a.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!equal(a.get(n), b.get(n))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** How a value is printed inside a path: strings quoted the Go way, others as JSON. */
    static String display(JsonNode v) {
        return v.isTextual() ? FieldError.quote(v.asText()) : v.toString();
    }
}
