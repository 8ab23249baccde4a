package io.capstan.apiserver.http;

import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before the API sees a request (an ambiguous or badly encoded URI, an unparsable request line or
 * header) as the JSON Status kube-apiserver would send, instead of Jetty's HTML page or an empty body.
 */
public final class StatusErrorHandler extends ErrorHandler {

    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, Responses.JSON);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = request.getAttribute(ERROR_STATUS) instanceof Integer status ? status : response.getStatus();
        String message = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null;
        response.getHeaders().put(JSON_TYPE);
        response.setStatus(code);
        response.write(true, body(code, message), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int code, String reason, HttpFields.Mutable fields) {
        fields.put(JSON_TYPE);
        return body(code, reason);
    }

    private static ByteBuffer body(int code, String message) {
        int status = code < 400 ? 400 : code;
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return ByteBuffer.wrap(Json.bytes(Responses.status(statusFor(status, text))));
    }

    private static StatusException statusFor(int code, String message) {
        return switch (code) {
            case 400 -> StatusException.badRequest(message);
            case 404 -> StatusException.pathNotFound();
            case 405 -> StatusException.methodNotAllowed();
            case 413 -> StatusException.tooLarge(message);
            case 414, 431 -> new StatusException(code, "RequestEntityTooLarge", message, null, null, null, java.util.List.of(), 0);
            default -> code >= 500 ? StatusException.internal(message) : new StatusException(code, "BadRequest", message, null, null,
                    null, java.util.List.of(), 0);
        };
    }
}
