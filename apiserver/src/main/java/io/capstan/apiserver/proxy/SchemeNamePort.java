package io.capstan.apiserver.proxy;

import java.util.Optional;
import java.util.Set;

/**
 * The NAME part of a proxy path, as Kubernetes' SplitSchemeNamePort reads it: {@code name}, {@code name:port}
 * or {@code scheme:name:port}, the scheme "" (http), "http" or "https".
 *
 * @param scheme "" when not given
 * @param port a number or a port name, "" when not given
 */
record SchemeNamePort(String scheme, String name, String port) {

    private static final Set<String> SCHEMES = Set.of("", "http", "https");

    static Optional<SchemeNamePort> parse(String id) {
        String[] parts = id.split(":", -1);
        SchemeNamePort parsed = switch (parts.length) {
            case 1 -> new SchemeNamePort("", parts[0], "");
            case 2 -> new SchemeNamePort("", parts[0], parts[1]);
            case 3 -> new SchemeNamePort(parts[0], parts[1], parts[2]);
            default -> null;
        };
        if (parsed == null || parsed.name.isEmpty() || !SCHEMES.contains(parsed.scheme)) {
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    /** The scheme to use: http unless https was asked for. */
    String schemeOrHttp() {
        return scheme.isEmpty() ? "http" : scheme;
    }

    /** The port as a number, or -1 when it is empty or a name. */
    int portNumber() {
        if (port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 9) {
            return -1;
        }
        return Integer.parseInt(port);
    }
}
