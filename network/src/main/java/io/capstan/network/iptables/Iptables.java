package io.capstan.network.iptables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs iptables (whichever backend the host's binary uses; nf_tables on Debian) the way kube-proxy does: whole
 * tables of Capstan's own chains are written atomically with {@code iptables-restore --noflush}, single rules
 * (the jumps from the built-in chains) with {@code iptables -C / -I}. Shared by the service proxy and NetworkPolicy.
 */
public final class Iptables {

    private static final List<Path> SEARCH_PATH = List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin"));

    private final List<String> prefix;
    private final Path iptables;
    private final Path restore;

    Iptables(List<String> prefix, Path iptables, Path restore) {
        this.prefix = List.copyOf(prefix);
        this.iptables = iptables;
        this.restore = restore;
    }

    /** The same tools run inside network namespace {@code netns} (ip netns exec): how tests keep off the host's tables. */
    public Iptables inNamespace(String netns) {
        List<String> p = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        return new Iptables(p, iptables, restore);
    }

    /** The host's iptables and iptables-restore, if both are installed (else the caller falls back to userspace). */
    public static Optional<Iptables> find() {
        for (Path dir : SEARCH_PATH) {
            Path ipt = dir.resolve("iptables");
            Path rst = dir.resolve("iptables-restore");
            if (Files.isExecutable(ipt) && Files.isExecutable(rst)) {
                return Optional.of(new Iptables(List.of(), ipt, rst));
            }
        }
        return Optional.empty();
    }

    /**
     * Loads {@code rules} (iptables-save format, one or more {@code *table ... COMMIT} blocks) without flushing
     * chains that the input does not name; chains it declares with {@code :NAME - [0:0]} are replaced whole.
     */
    public void restore(String rules) {
        run(List.of(restore.toString(), "--noflush", "-w", "5"), rules);
    }

    /** Ensures {@code rule} (e.g. {@code -j CAPSTAN-SERVICES}) is in {@code chain} of {@code table}, inserting it first. */
    public void ensureRule(String table, String chain, List<String> rule) {
        if (!succeeds(command(table, "-C", chain, rule))) {
            run(command(table, "-I", chain, rule), null);
        }
    }

    /** Creates {@code chain} in {@code table} if it does not exist yet. */
    public void ensureChain(String table, String chain) {
        if (!succeeds(List.of(iptables.toString(), "-w", "5", "-t", table, "-S", chain))) {
            run(List.of(iptables.toString(), "-w", "5", "-t", table, "-N", chain), null);
        }
    }

    /** Removes {@code rule} from {@code chain} of {@code table} if it is there (every copy of it). */
    public void deleteRule(String table, String chain, List<String> rule) {
        while (succeeds(command(table, "-C", chain, rule))) {
            run(command(table, "-D", chain, rule), null);
        }
    }

    /** Runs iptables with these arguments (after {@code -w}); its stdout. */
    public String iptables(String... args) {
        List<String> cmd = new ArrayList<>(List.of(iptables.toString(), "-w", "5"));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    private List<String> command(String table, String op, String chain, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of(iptables.toString(), "-w", "5", "-t", table, op, chain));
        cmd.addAll(rule);
        return cmd;
    }

    private boolean succeeds(List<String> command) {
        List<String> cmd = prefixed(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return waitFor(p, cmd) == 0;
        } catch (IOException e) {
            throw new IptablesException("could not run " + cmd.getFirst() + ": " + e.getMessage());
        }
    }

    private String run(List<String> command, String stdin) {
        List<String> cmd = prefixed(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out;
            try (InputStream stdout = p.getInputStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (waitFor(p, cmd) != 0) {
                throw new IptablesException(String.join(" ", cmd.subList(0, Math.min(cmd.size(), 8))) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IptablesException("could not run " + cmd.getFirst() + ": " + e.getMessage());
        }
    }

    private List<String> prefixed(List<String> cmd) {
        if (prefix.isEmpty()) {
            return cmd;
        }
        List<String> all = new ArrayList<>(prefix);
        all.addAll(cmd);
        return all;
    }

    private static int waitFor(Process p, List<String> cmd) {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IptablesException(cmd.getFirst() + " timed out");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IptablesException("interrupted while running " + cmd.getFirst());
        }
    }
}
