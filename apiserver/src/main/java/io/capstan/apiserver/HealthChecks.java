package io.capstan.apiserver;

import io.capstan.apiserver.http.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** /healthz, /livez and /readyz with their named checks and ?verbose, as kube-apiserver answers them. */
final class HealthChecks {

    private final Map<String, BooleanSupplier> live = new LinkedHashMap<>();
    private final Map<String, BooleanSupplier> ready = new LinkedHashMap<>();

    HealthChecks(BooleanSupplier storeHealthy, BooleanSupplier notShuttingDown) {
        live.put("ping", () -> true);
        live.put("log", () -> true);
        live.put("etcd", storeHealthy);
        ready.putAll(live);
        ready.put("shutdown", notShuttingDown);
    }

    /** Answers a health path; false when the path is none of them. */
    boolean handle(Exchange exchange, String path) throws IOException {
        String[] parts = path.substring(1).split("/", 2);
        Map<String, BooleanSupplier> checks = switch (parts[0]) {
            case "healthz", "livez" -> live;
            case "readyz" -> ready;
            default -> null;
        };
        if (checks == null) {
            return false;
        }
        if (parts.length == 2 && !parts[1].isEmpty()) {
            BooleanSupplier check = checks.get(parts[1]);
            if (check == null) {
                exchange.respond(404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
            } else {
                boolean ok = check.getAsBoolean();
                exchange.respond(ok ? 200 : 500, "text/plain; charset=utf-8",
                        (ok ? "ok" : "internal server error: " + parts[1] + " check failed").getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
        StringBuilder body = new StringBuilder();
        boolean allOk = true;
        for (Map.Entry<String, BooleanSupplier> c : checks.entrySet()) {
            boolean ok = c.getValue().getAsBoolean();
            allOk &= ok;
            body.append(ok ? "[+]" : "[-]").append(c.getKey()).append(ok ? " ok" : " failed: reason withheld").append('\n');
        }
        body.append(parts[0]).append(allOk ? " check passed\n" : " check failed\n");
        String text = allOk && exchange.query("verbose") == null ? "ok" : body.toString();
        exchange.respond(allOk ? 200 : 500, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
