package io.capstan.apiserver.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.authz.Attributes;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Records one audit.k8s.io/v1 Event per request at stage ResponseComplete, at the level the policy gives it, to an
 * audit log; the request thread only builds the line.
 */
public final class Auditor implements AutoCloseable {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final AuditPolicy policy;
    private final AuditLogFile log;
    private final Clock clock;

    public Auditor(AuditPolicy policy, AuditLogFile log, Clock clock) {
        this.policy = policy;
        this.log = log;
        this.clock = clock;
    }

    /** What is known of a request when it arrives. */
    public record Start(String auditId, Instant received) {}

    /** Marks a request's arrival and gives it the Audit-Id header, as kube-apiserver does. */
    public Start begin(Exchange exchange) {
        String id = UUID.randomUUID().toString();
        exchange.setHeader("Audit-Id", id);
        return new Start(id, clock.instant());
    }

    /** Writes the request's event, unless the policy's level for it is None; failure is the error answered, or null. */
    public void complete(Start start, Exchange exchange, int code, StatusException failure) {
        UserInfo user = exchange.user();
        String path = exchange.path();
        RequestInfo info = RequestInfo.parse(exchange.method(), path, exchange.queryFlag("watch"));
        Attributes attributes = Attributes.of(user, info, exchange.method(), path);
        AuditLevel level = policy.level(attributes);
        if (level == AuditLevel.None) {
            return;
        }
        log.write(Json.bytes(event(start, exchange, attributes, level, code, failure)));
    }

    ObjectNode event(Start start, Exchange exchange, Attributes a, AuditLevel level, int code, StatusException failure) {
        ObjectNode e = Json.object().put("kind", "Event").put("apiVersion", "audit.k8s.io/v1")
                .put("level", level.atLeast(AuditLevel.Request) ? "Request" : "Metadata")
                .put("auditID", start.auditId()).put("stage", "ResponseComplete")
                .put("requestURI", exchange.requestUri()).put("verb", a.verb());
        ObjectNode user = e.putObject("user");
        if (a.user() != null) {
            user.put("username", a.user().name());
            if (a.user().uid() != null && !a.user().uid().isEmpty()) {
                user.put("uid", a.user().uid());
            }
            a.user().groups().forEach(user.withArray("groups")::add);
        }
        e.putArray("sourceIPs").add(exchange.remoteAddress());
        if (exchange.header("User-Agent") != null) {
            e.put("userAgent", exchange.header("User-Agent"));
        }
        if (a.resourceRequest()) {
            ObjectNode ref = e.putObject("objectRef").put("resource", a.resource());
            putIfSet(ref, "namespace", a.namespace());
            putIfSet(ref, "name", a.name());
            putIfSet(ref, "apiGroup", a.group());
            putIfSet(ref, "apiVersion", a.version());
            putIfSet(ref, "subresource", a.subresource());
        }
        ObjectNode status = e.putObject("responseStatus");
        status.putObject("metadata");
        if (failure != null) {
            status.put("status", "Failure").put("message", failure.getMessage()).put("reason", failure.reason());
        }
        status.put("code", code);
        if (level.atLeast(AuditLevel.Request)) {
            byte[] body = exchange.bodyIfRead();
            if (body != null && body.length > 0 && body[0] == '{') {
                try {
                    e.set("requestObject", Json.parseObject(body));
                } catch (RuntimeException notJson) {
                    // a body that is not a JSON object (protobuf, YAML) is left out, as Kubernetes leaves out what it cannot convert
                }
            }
        }
        if (!exchange.auditAnnotations().isEmpty()) {
            ObjectNode annotations = e.putObject("annotations");
            exchange.auditAnnotations().forEach(annotations::put);
        }
        e.put("requestReceivedTimestamp", MICROS.format(start.received())).put("stageTimestamp", MICROS.format(clock.instant()));
        return e;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
