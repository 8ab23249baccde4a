package io.capstan.apiserver.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns an agent's failure into the client's: a Status the agent sent goes on as it is; any other body
 * becomes a Status as kube-apiserver's response checker makes one (400 BadRequest, 500 InternalError).
 */
final class AgentAnswers {

    private AgentAnswers() {}

    static StatusException failure(int code, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            JsonNode status = Json.MAPPER.readTree(body);
            if (status != null && status.path("kind").asText().equals("Status") && status.hasNonNull("message")) {
                return new StatusException(status.path("code").asInt(code), status.path("reason").asText(""),
                        status.path("message").asText(), null, null, null, List.of(), 0);
            }
        } catch (IOException e) {
            // not JSON: the text is the message
        }
        return switch (code) {
            case 400 -> StatusException.badRequest(text);
            case 500 -> StatusException.internal(text);
            default -> new StatusException(code, "", text, null, null, null, List.of(), 0);
        };
    }

    /** The agent could not be reached at all. */
    static StatusException unreachable(String what, Exception e) {
        return StatusException.internal("unable to reach the node agent for " + what + ": " + e.getMessage());
    }
}
