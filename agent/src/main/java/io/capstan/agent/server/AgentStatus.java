package io.capstan.agent.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;

/** The Status objects the agent answers with: HTTP failures, and the outcome of an exec on the error channel. */
final class AgentStatus {

    private AgentStatus() {}

    /** A failure answered over HTTP; the API server hands it on to the client. */
    static ObjectNode failure(StatusException e) {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", e.getMessage());
        if (!e.reason().isEmpty()) {
            status.put("reason", e.reason());
        }
        return status.put("code", e.code());
    }

    /** The error channel's message for a command that exited 0. */
    static ObjectNode success() {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        return status.put("status", "Success");
    }

    /** The error channel's message for a non-zero exit: kubectl reads the code from the ExitCode cause and exits with it. */
    static ObjectNode exitCode(int code) {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        status.put("status", "Failure").put("message", "command terminated with non-zero exit code: exit status " + code)
                .put("reason", "NonZeroExitCode");
        status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode").put("message", Integer.toString(code));
        return status;
    }

    /** The error channel's message when the command could not be run or its streams failed. */
    static ObjectNode internalError(String message) {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        status.put("status", "Failure").put("message", "Internal error occurred: " + message).put("reason", "InternalError");
        status.putObject("details").putArray("causes").addObject().put("message", message);
        return status.put("code", 500);
    }
}
