package io.capstan.agent.probes;

import java.time.Duration;
import java.util.List;

/** Runs a command in a container for an exec probe (the agent backs it with the runtime's exec). */
public interface ExecRunner {

    /** What the command did: its exit code and combined output, or that it ran past its timeout. */
    record ExecResult(int exitCode, String output, boolean timedOut) {}

    /** Runs {@code command} in the container, giving up after {@code timeout}; throws when it cannot run at all. */
    ExecResult exec(String containerId, List<String> command, Duration timeout);
}
