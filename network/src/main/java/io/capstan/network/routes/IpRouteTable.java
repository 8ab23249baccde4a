package io.capstan.network.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The main routing table, through iproute2's {@code ip route replace / del}. */
final class IpRouteTable implements RouteTable {

    @Override
    public void replace(Route route) {
        run(List.of("ip", "route", "replace", route.destination(), "via", route.gateway()), false);
    }

    @Override
    public void delete(Route route) {
        run(List.of("ip", "route", "del", route.destination(), "via", route.gateway()), true);
    }

    /** Runs the command; a failure throws unless it may fail (a route that is already gone). */
    private static void run(List<String> command, boolean mayFail) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0 && !mayFail) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run ip: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ip route");
        }
    }
}
