package io.capstan.apiserver.openapi;

import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.Responses;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Serves /openapi/v3 and its group-version documents with the caching kube-openapi offers:
 * an ETag on every answer (304 on a matching If-None-Match), documents asked for by their current
 * ?hash= are immutable, and a stale hash is redirected to the current one.
 */
public final class OpenApiEndpoint {

    private final OpenApiDocuments documents;

    public OpenApiEndpoint(OpenApiDocuments documents) {
        this.documents = documents;
    }

    /** Whether the path is one of ours. */
    public static boolean handles(String path) {
        return path.equals("/openapi/v3") || path.startsWith("/openapi/v3/");
    }

    public void serve(Exchange exchange, String path) throws IOException {
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            throw StatusException.methodNotAllowed();
        }
        String[] parts = path.replaceAll("/+$", "").substring(1).split("/");
        if (parts.length == 2) {
            byte[] index = Json.bytes(documents.index());
            send(exchange, index, OpenApiDocuments.hashOf(index), false);
            return;
        }
        OpenApiDocuments.Document doc = null;
        if (parts[2].equals("api") && parts.length == 4) {
            doc = documents.groupVersion("", parts[3]);
        } else if (parts[2].equals("apis") && parts.length == 5) {
            doc = documents.groupVersion(parts[3], parts[4]);
        }
        if (doc == null) {
            throw StatusException.pathNotFound();
        }
        String wanted = exchange.query("hash");
        if (wanted != null && !wanted.isEmpty() && !wanted.equals(doc.hash())) {
            exchange.setHeader("Location", path + "?hash=" + doc.hash());
            exchange.setHeader("Cache-Control", "no-cache");
            exchange.respond(301, "text/html; charset=utf-8", new byte[0]);
            return;
        }
        send(exchange, doc.json(), doc.hash(), wanted != null && !wanted.isEmpty());
    }

    private static void send(Exchange exchange, byte[] body, String hash, boolean immutable) throws IOException {
        String etag = "\"" + hash + "\"";
        exchange.setHeader("Etag", etag);
        if (immutable) {
            exchange.setHeader("Cache-Control", "public, immutable");
            exchange.setHeader("Expires", ZonedDateTime.now(ZoneOffset.UTC).plusYears(1).format(DateTimeFormatter.RFC_1123_DATE_TIME));
        } else {
            exchange.setHeader("Cache-Control", "no-cache, private");
        }
        String ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
            exchange.respond(304, Responses.JSON, new byte[0]);
            return;
        }
        exchange.respond(200, Responses.JSON, body);
    }
}
