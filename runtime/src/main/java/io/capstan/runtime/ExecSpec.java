package io.capstan.runtime;

import java.util.List;

/** A command to run inside a running container; with a tty, stdout and stderr are one stream. */
public record ExecSpec(List<String> command, boolean tty, boolean stdin) {

    public ExecSpec {
        command = List.copyOf(command);
    }
}
